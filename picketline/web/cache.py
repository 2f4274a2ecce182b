"""The anonymous page cache.

Public pages opt in with ``@public_page``. The middleware sits first in ``MIDDLEWARE`` so that a
hit costs a dictionary look-up and the rebuilding of one response: no URL resolving, no session,
no database, no template. It stores the response as the rest of the middleware finished it, so
a cached page carries exactly the security headers of a fresh one.

A page is stored only when nothing in it can belong to one visitor:

- the request is an anonymous GET: no session cookie (a logged-in organiser always sees fresh
  pages), no flash-message cookie, no query string;
- the path starts with a language prefix (``/en/…``) — the language is part of the key;
- the response is a 200 from a ``@public_page`` view, sets no cookie, did not ask for a CSRF
  token (a page with a POST form never is cached), and is not marked private or no-store.

The key is scheme, host, path and the content version (``picketline.web.content``), so an
organiser's edit makes every cached page unreachable at once, in every process. Pages also
change with the clock (past / today / upcoming), so each entry lives ``max_age`` seconds at most.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from picketline.web.content import content_version

DEFAULT_MAX_AGE = 60
CACHE_ALIAS = "default"
_MARK = "public_page_max_age"
_REFUSED = "public_page_refused"
_HARMLESS_VARY = {"cookie", "accept-language"}

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _used_csrf_token(request: HttpRequest) -> bool:
    # Set by django.middleware.csrf.get_token() whenever a template or view asks for a token.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


@overload
def public_page(view: View) -> View: ...
@overload
def public_page(*, max_age: int = DEFAULT_MAX_AGE) -> Callable[[View], View]: ...


def public_page(view: Any = None, *, max_age: int = DEFAULT_MAX_AGE) -> Any:
    """Let anonymous visitors get this view's page from the page cache for up to ``max_age``
    seconds (less if an organiser edits anything). Use it only on pages that show the same to
    every anonymous visitor of a language; a page that renders a CSRF token is never stored."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = func(request, *args, **kwargs)

            def mark(response: HttpResponse) -> HttpResponse:
                if _used_csrf_token(request):
                    setattr(response, _REFUSED, True)
                else:
                    setattr(response, _MARK, max_age)
                return response

            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.add_post_render_callback(mark)
                setattr(response, _MARK, max_age)  # checked again once rendered
                return response
            return mark(response)

        return wrapper  # type: ignore[return-value]

    if view is not None:
        return decorate(view)
    return decorate


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[CACHE_ALIAS]
        self.private_cookies = tuple(
            f"{name}=" for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        )
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)

    def key(self, request: HttpRequest) -> str | None:
        """The cache key for this request, or None when it must not be served from the cache."""
        meta = request.META
        if request.method not in ("GET", "HEAD") or meta.get("QUERY_STRING"):
            return None
        cookies = meta.get("HTTP_COOKIE")
        if cookies and any(name in cookies for name in self.private_cookies):
            return None
        path = request.path
        language = path[1:].partition("/")[0]
        if language not in self.languages:
            return None
        host = meta.get("HTTP_HOST", "")
        return f"page:{content_version()}:{language}:{request.scheme}:{host}:{path}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        entry = self.cache.get(key)
        if entry is not None:
            status, headers, body = entry
            return HttpResponse(body, status=status, headers=headers)
        response = self.get_response(request)
        max_age = self.storable_for(request, response)
        if max_age:
            entry = (response.status_code, dict(response.items()), response.content)
            self.cache.set(key, entry, max_age)
        return response

    def storable_for(self, request: HttpRequest, response: HttpResponse) -> int:
        """How long this response may be served to other anonymous visitors (0: not at all)."""
        max_age = getattr(response, _MARK, 0)
        if (
            not max_age
            or getattr(response, _REFUSED, False)
            or request.method != "GET"
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or _used_csrf_token(request)
        ):
            return 0
        vary = {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}
        # Cookie: the page read the session or the messages (base.html shows messages); with
        # neither cookie present, which the key requires, every anonymous visitor sees the same.
        if not vary <= _HARMLESS_VARY:
            return 0
        cache_control = response.headers.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return 0
        return int(max_age)
