"""The plumbing every endpoint shares: read-only methods, CORS for reads, ETag / If-None-Match,
JSON errors, and cursor pagination.

Reads are public, so any origin may read them (``Access-Control-Allow-Origin: *``) and no
credentials are ever involved: the API sets no cookie and reads none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from picketline.web import unavailable as web_unavailable
from picketline.web.middleware import checks_own_input

READ_METHODS = ("GET", "HEAD", "OPTIONS")
LANG_CHOICES = "en, ru, be, de"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadRequest(Exception):
    """A query the API cannot answer; becomes a 400 with the message."""


class NotFound(Exception):
    pass


def cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    # The API is meant to be read from other sites; the site-wide same-origin policy is for pages.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def json_response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json")


def error(status: int, message: str) -> HttpResponse:
    return cors(json_response({"error": message}, status=status))


def unavailable(request: HttpRequest) -> HttpResponse:
    """The API's 503 while the database or Redis is away (``picketline.web.unavailable``): the
    error as JSON, in the language asked for, with CORS for a read as every read has."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        text = web_unavailable.message(posted=request.method == "POST")
    if request.method in READ_METHODS:
        return error(503, text)
    return json_response({"error": text}, status=503)  # writes answer without CORS


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return etag in candidates


def has_nul(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    values = [v for _key, items in request.GET.lists() for v in items]
    values += [k for k in request.GET] + [str(v) for v in kwargs.values()]
    return any("\x00" in value for value in values)


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """A read-only endpoint: ``view`` returns data; this makes the response.

    GET and HEAD answer with JSON, an ETag, and 304 when ``If-None-Match`` matches; OPTIONS
    answers a CORS preflight; anything else is 405 with ``Allow``.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in READ_METHODS:
            response = error(
                405,
                _("Method %(method)s not allowed; this API is read-only.")
                % {"method": request.method},
            )
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        if request.method == "OPTIONS":
            response = cors(HttpResponse(status=204))
            response["Allow"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return response
        try:
            request.GET  # noqa: B018 - parsed here, so that too many parameters get our answer
        except TooManyFieldsSent:
            return error(400, _("Too many parameters."))
        if has_nul(request, kwargs):
            # PostgreSQL cannot hold NUL in text: refuse it before it reaches a query.
            return error(400, _("Parameters may not contain NUL characters."))
        language = request.GET.get("lang", settings.LANGUAGE_CODE)
        if language not in dict(settings.LANGUAGES):
            return error(400, _("'lang' must be one of: %(choices)s.") % {"choices": LANG_CHOICES})
        # Organiser-written text (titles, summaries) and errors in the asked language, English
        # fallback; the header says so, not the language the browser prefers.
        with translation.override(language):
            response = answer(request, view, *args, **kwargs)
        response["Content-Language"] = language
        return response

    # No cookie is read, so there is no session to protect; without this, Django's CSRF check
    # would answer PUT, PATCH and DELETE with its HTML page instead of the API's JSON 405.
    return csrf_exempt(checks_own_input(wrapper))


def answer(
    request: HttpRequest, view: Callable[..., Any], *args: Any, **kwargs: Any
) -> HttpResponse:
    """``view``'s data as JSON with its ETag (304 when the client has it), or its error."""
    try:
        data = view(request, *args, **kwargs)
    except BadRequest as exc:
        return error(400, str(exc))
    except NotFound as exc:
        return error(404, str(exc) or _("Not found."))
    response = json_response(data)
    etag = etag_for(response.content)
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Accept-Encoding"])
    return cors(response)


def encode_cursor(last_pk: int) -> str:
    return str(last_pk)


def decode_cursor(cursor: str) -> int:
    """Cursors are the last primary key of the previous page; clients should treat them as
    opaque and only send back what they were given."""
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise BadRequest(_("The cursor is not one this API gave out."))
    return int(cursor)


def int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    # isdigit() alone lets through "²" and 5,000-digit numbers, which int() refuses.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not low <= int(raw) <= high:
        raise BadRequest(
            _("'%(name)s' must be a whole number from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high}
        )
    return int(raw)


def choice_param(request: HttpRequest, name: str, choices: list[str]) -> str:
    """The parameter if given (it must then be one of ``choices``), else ""."""
    value = request.GET.get(name)
    if value is None:
        return ""
    if value not in choices:
        raise BadRequest(
            _("'%(name)s' must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(choices)}
        )
    return value


def page(
    request: HttpRequest, queryset: QuerySet, serialize: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """One page of ``queryset`` in primary-key order, with the cursor of the next page.

    Keyset pagination: the cursor is the last primary key seen, so pages stay stable while rows
    are added, and deep pages cost the same as the first.
    """
    limit = int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursor = request.GET.get("cursor")
    rows = queryset.order_by("pk")
    if cursor is not None:
        rows = rows.filter(pk__gt=decode_cursor(cursor))
    found = list(rows[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    next_cursor = encode_cursor(found[-1].pk) if more else None
    next_url = None
    if next_cursor:
        params = {k: v for k, v in request.GET.items() if k != "cursor"}
        params["cursor"] = next_cursor
        next_url = f"{request.path}?{urlencode(params)}"
    return {
        "items": [serialize(item) for item in found],
        "next_cursor": next_cursor,
        "next": next_url,
    }
