"""Response headers that keep visitors private and pages unframeable.

The Content-Security-Policy allows nothing from another origin and no inline code or style. A
view that offers a click-to-load embed names the embed's origin on the response
(``response.csp_frame_src``); it is allowed in frames for that response only. A page that may
itself be framed (a partner's embed, ``supporters.embed``) names the origins that may frame it
(``response.csp_frame_ancestors``); everything else says ``frame-ancestors 'none'``.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from picketline.web.clients import from_trusted_proxy

logger = logging.getLogger(__name__)

FORM_REFERRER_POLICY = "same-origin"

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "frame-src": "'none'",
}

POWERFUL_FEATURES = (
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
)


def permissions_policy(allow_self: tuple[str, ...] = ()) -> str:
    """Every powerful feature refused, but those in ``allow_self`` for this origin (the
    organisers' check-in page reads entry codes with the camera)."""
    return ", ".join(
        f"{feature}=(self)" if feature in allow_self else f"{feature}=()"
        for feature in POWERFUL_FEATURES
    )


PERMISSIONS_POLICY = permissions_policy()


def content_security_policy(
    frame_src: list[str] | None = None, frame_ancestors: list[str] | None = None
) -> str:
    policy = dict(BASE_POLICY)
    if frame_src:
        policy["frame-src"] = " ".join(frame_src)
    if frame_ancestors:
        policy["frame-ancestors"] = " ".join(frame_ancestors)
    return "; ".join(f"{name} {value}" for name, value in policy.items())


_DEFAULT_POLICY = content_security_policy()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        frame_src = getattr(response, "csp_frame_src", None)
        frame_ancestors = getattr(response, "csp_frame_ancestors", None)
        response.headers.setdefault(
            "Content-Security-Policy",
            content_security_policy(frame_src, frame_ancestors)
            if frame_src or frame_ancestors
            else _DEFAULT_POLICY,
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if settings.CSRF_COOKIE_NAME in response.cookies:
            # A page with a POST form (it handed out a CSRF token). Under "no-referrer" browsers
            # post its form with "Origin: null" and no Referer, which Django's CSRF check must
            # refuse; "same-origin" tells this site where the form came from and still gives
            # other sites nothing. Every other page says "no-referrer" (SECURE_REFERRER_POLICY).
            response.headers["Referrer-Policy"] = FORM_REFERRER_POLICY
        return response


class ForwardedProtoMiddleware:
    """Forget X-Forwarded-Proto unless a trusted proxy sent the request.

    SECURE_PROXY_SSL_HEADER makes Django believe the header, which is right for the TLS proxy
    in front of the site and wrong for anyone else who reaches the server: a client on plain
    HTTP would otherwise be taken for one on HTTPS. With TRUST_PROXY_SSL_HEADER and no
    TRUSTED_PROXIES the operator vouches that only the proxy can reach the server.

    X-Forwarded-For arriving while no proxy is trusted most likely means a proxy in front that
    nobody named: every visitor then counts as the proxy's one address, so one person's flood
    rate-limits everyone. The process says so in its log, once (without the addresses)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.warned_of_untrusted_forwarding = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TRUSTED_PROXIES:
            if not from_trusted_proxy(request):
                request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        elif "HTTP_X_FORWARDED_FOR" in request.META and not self.warned_of_untrusted_forwarding:
            self.warned_of_untrusted_forwarding = True
            logger.warning(
                "X-Forwarded-For arrives but TRUSTED_PROXIES is empty: every visitor counts as "
                "the proxy's address (one rate limit for all). Set TRUSTED_PROXIES to the "
                "proxy's address (docs/deploy.md); this is said once per process."
            )
        return self.get_response(request)


def checks_own_input(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that refuses unusable input in its own way (the API answers in JSON)."""
    view.checks_own_input = True  # type: ignore[attr-defined]
    return view


class UnusableInputMiddleware:
    """A clear 400 for input no view can use, before it reaches a form or a query.

    PostgreSQL cannot hold NUL in text, so a NUL in the query string would fail deep inside a
    query. A body in another charset than UTF-8 is not something our pages send. The request body
    is not read here: upload views choose their own upload handlers before it is parsed, and
    the forms refuse NUL in what is posted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], args, kwargs
    ) -> None:
        if getattr(view_func, "checks_own_input", False):
            return
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("NUL in the query string")
        charset = request.content_params.get("charset") if request.content_params else None
        if charset and not is_utf8(charset):
            raise BadRequest("a body in a charset other than UTF-8")


def is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False
