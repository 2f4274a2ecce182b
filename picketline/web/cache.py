"""The anonymous page cache.

Public pages opt in with ``@public_page``. ``AnonymousPageCacheMiddleware`` sits first in
``MIDDLEWARE`` and stores the response as the rest of the middleware finished it, so a cached page
carries exactly the security headers of a fresh one. ``PageCacheApplication`` wraps Django's WSGI
application (``picketline.wsgi``) and answers hits before Django sees the request: one key, one
cache look-up, no request object, no signals, no session, no database, no template.

A page is stored only when nothing in it can belong to one visitor:

- the request is an anonymous GET: no session cookie (a logged-in organiser always sees fresh
  pages), no flash-message cookie, no query string but the attribution of a shared or partner's
  link (``?src=share:x``, ``?via=ituc&src=link:news``: short, plain values, part of the key;
  ``supporters.attribution``), so a link shared far and wide is still served from the cache;
- the path starts with a language prefix (``/en/…``) — the language is part of the key;
- the response is a 200 from a ``@public_page`` view, sets no cookie but the CSRF cookie of a
  token written through the form-token hole (``picketline.web.form_token``: the page is kept
  with the hole and each visit's token filled in), and is not marked private or no-store.
- a page asked for with that query is stored only when the query is a link the campaign gave
  out (``register_query_check``: an active partner, a code registered for it, a share
  channel), so that made-up values, each a key of its own, cannot push the real pages out.

The key is scheme, host, path and the content version (``picketline.web.content``), so an
organiser's edit makes every cached page unreachable at once, in every process. Pages also
change with the clock (past / today / upcoming), so each entry lives ``max_age`` seconds at most.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import SimpleTemplateResponse

from picketline.web.content import content_version
from picketline.web.form_token import fill_from_cache, holed_content, wsgi_headers

DEFAULT_MAX_AGE = 60
MAX_PATH_LENGTH = 160
MAX_KEY_LENGTH = 210  # memcached takes 250, with the prefix, release and version (lib.release)
# What no cache key may hold (memcached's rule, which Django warns about for every backend): the
# warning would print the path and host, as the visitor sent them, unfiltered to the error log.
UNFIT_FOR_A_KEY = re.compile(r"[\x00-\x20\x7f]")
CACHE_ALIAS = "default"
_MARK = "public_page_max_age"
_HARMLESS_VARY = {"cookie", "accept-language"}
# The only query a cached page may have: where the visitor came from, as a link says it (the
# page repeats it in its form's hidden fields), in this order, with plain short values.
_VALUE = r"[a-z0-9][a-z0-9:-]{0,39}"
ATTRIBUTION_QUERY = re.compile(rf"^(?:via={_VALUE}(?:&src={_VALUE})?|src={_VALUE})$")

View = TypeVar("View", bound=Callable[..., HttpResponse])

_QUERY_CHECKS: list[Callable[[QueryDict], bool]] = []


def register_query_check(check: Callable[[QueryDict], bool]) -> None:
    """``check(request.GET)`` says whether a page asked for with an attribution query may be
    stored under it (``supporters.attribution.is_link_given_out``, from its ``ready()``).
    Without a check no page with a query is stored."""
    _QUERY_CHECKS.append(check)


def query_given_out(request: HttpRequest) -> bool:
    if not request.META.get("QUERY_STRING"):
        return True
    return bool(_QUERY_CHECKS) and all(check(request.GET) for check in _QUERY_CHECKS)


@overload
def public_page(view: View) -> View: ...
@overload
def public_page(*, max_age: int = DEFAULT_MAX_AGE) -> Callable[[View], View]: ...


def public_page(view: Any = None, *, max_age: int = DEFAULT_MAX_AGE) -> Any:
    """Let anonymous visitors get this view's page from the page cache for up to ``max_age``
    seconds (less if an organiser edits anything). Use it only on pages that show the same to
    every anonymous visitor of a language; a CSRF token is stored only as the form-token hole."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = func(request, *args, **kwargs)

            def mark(response: HttpResponse) -> HttpResponse:
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


class PageKeys:
    """Which requests the cache may answer, and under which key. Works on the bare WSGI environ
    (``request.META`` is that same dict), so the WSGI fast path and the middleware agree."""

    def __init__(self) -> None:
        self.private_cookies = tuple(
            f"{name}=" for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        )
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.forwarded_host = settings.USE_X_FORWARDED_HOST

    def scheme(self, environ: dict[str, Any]) -> str:
        # As HttpRequest.scheme: a trusted proxy's header wins over the server's scheme.
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
        return environ.get("wsgi.url_scheme", "http")

    def key(self, environ: dict[str, Any]) -> str | None:
        """The cache key for this request, or None when it must not be answered from the cache."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        query = environ.get("QUERY_STRING", "")
        if query and not ATTRIBUTION_QUERY.match(query):
            return None
        cookies = environ.get("HTTP_COOKIE")
        if cookies and any(name in cookies for name in self.private_cookies):
            return None
        path = environ.get("PATH_INFO", "")
        if len(path) > MAX_PATH_LENGTH:  # no page of ours; keeps keys short for every backend
            return None
        language = path[1:].partition("/")[0]
        if language not in self.languages:
            return None
        key = (
            f"pages:{content_version()}:{language}:{self.scheme(environ)}:"
            f"{self.host(environ)}:{environ.get('SCRIPT_NAME', '')}{path}"
        )
        if query:
            key += f"?{query}"
        if len(key) > MAX_KEY_LENGTH or UNFIT_FOR_A_KEY.search(key):
            return None  # no page of ours has a space or a control character in its address
        return key

    def host(self, environ: dict[str, Any]) -> str:
        # As HttpRequest.get_host(), without validating: an unknown host never gets a page
        # stored (Django answers 400), so it can only miss.
        if self.forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            return environ["HTTP_X_FORWARDED_HOST"]
        if "HTTP_HOST" in environ:
            return environ["HTTP_HOST"]
        return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


class AnonymousPageCacheMiddleware:
    """Stores ``@public_page`` responses, and answers from the cache when a request reaches
    Django without passing ``PageCacheApplication`` (the test client, another WSGI entry)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[CACHE_ALIAS]
        self.keys = PageKeys()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.keys.key(request.META)
        if key is None:
            return self.get_response(request)
        entry = self.cache.get(key)
        if entry is not None:
            status, headers, body, holed = entry
            if holed:
                return fill_from_cache(request, status, headers, body)
            return HttpResponse(body, status=status, headers=dict(headers))
        response = self.get_response(request)
        max_age = self.storable_for(request, response)
        if max_age:
            holed_body = holed_content(response)
            body = response.content if holed_body is None else holed_body
            entry = (response.status_code, list(response.items()), body, holed_body is not None)
            self.cache.set(key, entry, max_age)
        return response

    def storable_for(self, request: HttpRequest, response: HttpResponse) -> int:
        """How long this response may be served to other anonymous visitors (0: not at all)."""
        max_age = getattr(response, _MARK, 0)
        if (
            not max_age
            or request.method != "GET"
            or response.status_code != 200
            or response.streaming
            or not query_given_out(request)
        ):
            return 0
        # A page whose CSRF token went in through the hole (picketline.web.form_token) is
        # stored with the hole, and carries the CSRF cookie, which is never stored. Any other
        # cookie — or a token asked for some other way, which sets that cookie too — and the
        # page belongs to one visitor.
        cookies = set(response.cookies)
        if holed_content(response) is not None:
            cookies.discard(settings.CSRF_COOKIE_NAME)
        if cookies:
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


class PageCacheApplication:
    """The fast path, wrapped around Django's WSGI application: a cached page goes straight
    back to the server, without building a request, sending Django's request signals or
    walking the middleware. Everything else (and every miss) goes to Django unchanged."""

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application
        self.cache = caches[CACHE_ALIAS]
        self.keys = PageKeys()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        key = self.keys.key(environ)
        if key is not None:
            entry = self.cache.get(key)
            if entry is not None:
                status, headers, body, holed = entry
                if holed:
                    response = fill_from_cache(WSGIRequest(environ), status, headers, body)
                    headers, body = wsgi_headers(response), response.content
                start_response(_STATUS_LINES[status], list(headers))
                return [body]
        return self.application(environ, start_response)


_STATUS_LINES = {200: "200 OK"}  # the only status that is ever stored
