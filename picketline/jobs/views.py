from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from picketline.jobs import health
from picketline.web.unavailable import leave_out_of_request_log

RETRY_AFTER_SECONDS = 30


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 while this web process can serve (its database and cache
    answer), else 503 with Retry-After. The body also gives the outbox's and the worker's
    state, one check a line, for a monitor; none of it is personal.

    A load balancer asks every few seconds: the start and the end of an outage are logged
    once each, as warnings (``health.Readiness``), and Django's request logger leaves out its
    error line about each 503."""
    checks = health.report()
    response = HttpResponse(
        "".join(check.line() + "\n" for check in checks), content_type="text/plain"
    )
    if not health.readiness.probed(checks):
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        leave_out_of_request_log(request)
    return response
