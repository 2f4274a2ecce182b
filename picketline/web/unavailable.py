"""A short 503 for a failure that passes by itself: the database cannot be reached, Redis
(which holds the rate-limit counters) cannot be reached, the media's object storage (S3)
cannot be reached, does not answer, answers with a 5xx or asks to try again, the disk is full.

Django's ``handler500`` runs for an exception no view or middleware handled
(``picketline.web.views.server_error``); for these exceptions it answers 503 with Retry-After
instead of a 500, so that a browser, a client of the API or a load balancer knows to try again.
The page needs neither the database nor the cache, and holds nothing from the request.
A part of the site that speaks something other than HTML registers its own answer for its
paths (``register``, from its ``AppConfig.ready()``): the API answers JSON.

Such a request is logged once, as a warning naming what was away (``unavailable``); Django's
own line about it, an error with the traceback, is left out (``SaidOnce``, on its request
logger in ``settings.LOGGING``): nothing in the code is to be mended. ``/readyz`` uses the same
filter for its own 503.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from botocore.exceptions import ClientError as StorageRefusal
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

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
FULL_DISK = {errno.ENOSPC, errno.EDQUOT}
# What an S3-compatible storage answers when it is busy or unwell rather than when the request
# is wrong: a 5xx, or "your request took too long" (a 400 that asks to try again).
S3_ASKS_TO_TRY_AGAIN = {"RequestTimeout", "SlowDown", "Throttling", "ThrottlingException"}


def passes_by_itself(exc: BaseException | None) -> bool:
    """Whether ``exc`` says a service is away for a while, not that the code is wrong."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, ConnectionInterrupted | RedisConnectionError | RedisTimeoutError):
        return True
    # The object storage of the media (S3) refused the connection, or did not answer in time.
    if isinstance(exc, StorageConnectionError | StorageHTTPError):
        return True
    # It answered, but that it is busy or unwell, not that the request was wrong.
    if isinstance(exc, StorageRefusal):
        status, code = storage_answer(exc)
        return status >= 500 or code in S3_ASKS_TO_TRY_AGAIN
    return isinstance(exc, OSError) and exc.errno in FULL_DISK


def storage_answer(refusal: StorageRefusal) -> tuple[int, str]:
    """The HTTP status and the error code an S3-compatible storage answered."""
    status = refusal.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return status, refusal.response.get("Error", {}).get("Code", "")


def what_was_away(exc: BaseException | None) -> str:
    """The exception's class, and a storage's answer: never its message, which may hold a
    query, a file's name or an address."""
    if exc is None:
        return "unknown"
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if isinstance(exc, StorageRefusal):
        status, code = storage_answer(exc)
        return f"{name} ({code or 'no code'}, HTTP {status or 'no status'})"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name} ({errno.errorcode.get(exc.errno, exc.errno)})"
    return name


class SaidOnce(logging.Filter):
    """On Django's request logger: leaves out its line about a request answered by someone who
    says what matters themselves, as a warning (``leave_out_of_request_log``): ``unavailable``,
    and ``/readyz`` while the process is not ready (``picketline.jobs.health.Readiness``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not getattr(request, "answered_unavailable", False)


def leave_out_of_request_log(request: HttpRequest) -> None:
    """Keep Django's request logger from logging the 5xx answered to ``request`` as an error
    (``SaidOnce``); the caller has said, or will say, what an operator needs."""
    request.answered_unavailable = True


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


def unavailable(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """The 503 for ``request``, which met ``exc`` (something ``passes_by_itself``)."""
    logger.warning(
        "%s %s answered 503 (Retry-After %d s): %s",
        request.method,
        request.path,  # the log's filter masks a token in it (lib.access_log)
        RETRY_AFTER_SECONDS,
        what_was_away(exc),
    )
    leave_out_of_request_log(request)
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
