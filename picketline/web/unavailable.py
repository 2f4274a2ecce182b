"""A short 503 for a failure that passes by itself: the database cannot be reached, Redis
(which holds the rate-limit counters) cannot be reached, the media's object storage (S3)
cannot be reached or does not answer, the disk is full.

Django's ``handler500`` runs for an exception no view or middleware handled
(``picketline.web.views.server_error``); for these exceptions it answers 503 with Retry-After
instead of a 500, so that a browser, a client of the API or a load balancer knows to try again.
The page needs neither the database nor the cache, and holds nothing from the request.
A part of the site that speaks something other than HTML registers its own answer for its
paths (``register``, from its ``AppConfig.ready()``): the API answers JSON.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

from botocore.exceptions import ConnectionError as StorageConnectionError
from botocore.exceptions import HTTPClientError as StorageHTTPError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 30
FULL_DISK = {errno.ENOSPC, errno.EDQUOT}


def passes_by_itself(exc: BaseException | None) -> bool:
    """Whether ``exc`` says a service is away for a while, not that the code is wrong."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, ConnectionInterrupted | RedisConnectionError | RedisTimeoutError):
        return True
    # The object storage of the media (S3) refused the connection, or did not answer in time.
    if isinstance(exc, StorageConnectionError | StorageHTTPError):
        return True
    return isinstance(exc, OSError) and exc.errno in FULL_DISK


# Path prefix → what answers instead of the page.
_ANSWERS: dict[str, Callable[[HttpRequest], HttpResponse]] = {}


def register(prefix: str, answer: Callable[[HttpRequest], HttpResponse]) -> None:
    """Let ``answer(request)`` make the 503 for paths that start with ``prefix`` (saying
    ``message()``); status, Retry-After and the cache headers are set here."""
    _ANSWERS[prefix] = answer


def message(posted: bool) -> str:
    """What the 503 says, in the active language."""
    text = gettext("The site cannot answer right now. Please try again in a minute.")
    if posted:
        text += " " + gettext("What you sent may not have reached us: please send it again then.")
    return text


def unavailable(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    answer = next((a for p, a in _ANSWERS.items() if request.path.startswith(p)), None)
    if answer is not None:
        response = answer(request)
        response.status_code = 503
    else:
        response = HttpResponse(
            render_to_string("web/unavailable.html", {"posted": posted}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
