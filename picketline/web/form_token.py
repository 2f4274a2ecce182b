"""A page with a POST form, cached for everyone, with each visitor's own CSRF token.

Django's ``{% csrf_token %}`` tag writes the template variable ``csrf_token``. Our context
processor ``form_token_hole`` (listed after Django's own, so it wins) sets that variable to a
fixed placeholder, the *hole*, and notes on the request that the page has one. Every page is
rendered with the hole; ``FormTokenMiddleware``, just inside Django's ``CsrfViewMiddleware``,
copies the rendered page with its hole aside (what the page cache may store) and fills the hole
with ``get_token(request)``, Django's own masked token for this visitor. ``CsrfViewMiddleware``
then sets or refreshes the visitor's CSRF cookie as it always does.

A page served from the page cache goes through the same two steps (``fill_from_cache``): the
stored page, hole and all, handed to ``CsrfViewMiddleware`` wrapped around a view that fills the
hole. So a cached form page costs one cache look-up, one token and one cookie; the check of a
POST is Django's, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.functional import SimpleLazyObject

# Letters and digits only, so that HTML escaping leaves it as it is, and the length of Django's
# masked token, so a page's length is the same with the hole and with the token.
HOLE = "picketlineformtokenhole" + "0" * 41
HOLE_BYTES = HOLE.encode()
_ASKED = "picketline_form_token_hole"
_HOLED = "picketline_holed_content"
_ENTRY = "picketline_cached_entry"


def form_token_hole(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``{% csrf_token %}`` writes the hole instead of a token. Lazy, as
    Django's own: only a template that uses it marks the request."""

    def hole() -> str:
        setattr(request, _ASKED, True)
        return HOLE

    return {"csrf_token": SimpleLazyObject(hole)}


def mark_hole(request: HttpRequest) -> None:
    """Say that the page answering ``request`` holds the hole though no template wrote it
    here (a page put together from a stored copy): the middleware fills it as usual."""
    setattr(request, _ASKED, True)


def holed_content(response: HttpResponse) -> bytes | None:
    """The page as rendered, with its hole, when it has one (None otherwise)."""
    return getattr(response, _HOLED, None)


def _fill(body: bytes, request: HttpRequest) -> bytes:
    return body.replace(HOLE_BYTES, get_token(request).encode())


class FormTokenMiddleware:
    """Fills the hole of every page that has one with this visitor's token. Must come right
    after ``django.middleware.csrf.CsrfViewMiddleware`` in ``MIDDLEWARE``, so that the token it
    asks for gets the CSRF cookie set on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _ASKED, False) and not response.streaming:
            body = response.content
            setattr(response, _HOLED, body)
            response.content = _fill(body, request)
        return response


def _cached_page(request: HttpRequest) -> HttpResponse:
    status, headers, body = getattr(request, _ENTRY)
    response = HttpResponse(_fill(body, request), status=status)
    for name, value in headers:
        response[name] = value
    return response


@cache
def _with_csrf_cookie() -> CsrfViewMiddleware:
    return CsrfViewMiddleware(_cached_page)


def fill_from_cache(
    request: HttpRequest, status: int, headers: Sequence[tuple[str, str]], body: bytes
) -> HttpResponse:
    """A stored page with a hole, answered with this visitor's token and CSRF cookie."""
    setattr(request, _ENTRY, (status, headers, body))
    return _with_csrf_cookie()(request)


def wsgi_headers(response: HttpResponse) -> list[tuple[str, Any]]:
    """The response's headers and cookies, as a WSGI server takes them."""
    return [
        *response.items(),
        *(("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()),
    ]
