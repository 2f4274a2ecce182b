import sys

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.http import require_GET

from picketline.web.unavailable import passes_by_itself, unavailable


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers. It reads nothing, so a database outage never makes a
    supervisor kill healthy web processes; readiness is ``/readyz`` (picketline.jobs.views)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*/me/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for /favicon.ico without reading the page's icon link."""
    return HttpResponsePermanentRedirect(static("web/icon-192.png"))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The answer to input no page can use (``handler400``), the same page as Django's own.

    Django's own 400 view first asks for a CSRF token, which reads a posted form; a form in
    another charset than UTF-8 is refused again there, and the visitor gets a 500. This one
    reads nothing the request sent."""
    return HttpResponseBadRequest(render_to_string("400.html"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (``CSRF_FAILURE_VIEW``): in the visitor's language,
    saying that nothing was kept and what to do. Most often the form's cookie is gone: it
    has no expiry date, so the browser deleted it when its session ended, and the page
    outlived that session (reopened from history, or restored by a browser that drops its
    session's cookies)."""
    page = render(request, "web/form_expired.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE})
    return HttpResponseForbidden(page.content)


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to an exception nothing handled (``handler500``).

    Django calls it while handling the exception, so ``sys.exc_info()`` names it: a database,
    Redis, the media's object storage or a disk that is away for a while gets a 503 with
    Retry-After (``picketline.web.unavailable``); anything else Django's own 500 view, which
    shows ``500.html`` in the visitor's language."""
    exc = sys.exc_info()[1]
    if passes_by_itself(exc):
        return unavailable(request, exc)
    return defaults.server_error(request)
