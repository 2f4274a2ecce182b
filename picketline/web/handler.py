"""Django's WSGI handler, with two costs that every form submission pays made smaller.

- A form's POST body (``application/x-www-form-urlencoded``) becomes the same ``QueryDict``
  as Django's, read in one loop (an eighth of a letter submission's own work went into
  ``parse_qsl`` and ``QueryDict.appendlist``, several Python calls per field). Every other
  body, and every other method, is Django's own.
- The URL of a request is resolved once per (URL configuration, language, path) and
  remembered; each request gets its own copy of the match, so a view or middleware that changes
  its arguments changes only its own. A miss (a 404) is never remembered.
"""

from __future__ import annotations

import functools
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest, QueryDict
from django.urls import ResolverMatch, URLResolver, get_resolver, set_urlconf
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language

FORM = "application/x-www-form-urlencoded"
# Distinct paths remembered per process: the public pages, and recent links with tokens.
REMEMBERED_PATHS = 2048


def form_data(body: bytes) -> QueryDict:
    """What ``QueryDict(body, encoding="utf-8")`` holds (immutable, as ``request.POST``): the
    standard library's ``parse_qsl`` with Django's arguments, in one loop that calls a decoder
    only for a name or value with something to decode."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")  # as Django does for a misbehaving client
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and text and text.count("&") + 1 > limit:
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        )
    query = QueryDict.__new__(QueryDict)  # an empty dict; its state is set below
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            if "%" in name or "+" in name:
                name = unquote_plus(name, errors="replace")
            if "%" in value or "+" in value:
                value = unquote_plus(value, errors="replace")
            dict.setdefault(query, name, []).append(value)
    query._encoding = "utf-8"
    query._mutable = False
    return query


class Request(WSGIRequest):
    def _load_post_and_files(self) -> None:
        if (
            self.method == "POST"
            and self.content_type == FORM
            and (self._encoding is None or self._encoding.lower() == "utf-8")
            and (hasattr(self, "_body") or not self._read_started)
        ):
            self._post = form_data(self.body)
            self._files = MultiValueDict()
        else:
            super()._load_post_and_files()


@functools.lru_cache(maxsize=REMEMBERED_PATHS)
def _remembered_match(resolver: URLResolver, language: str | None, path: str) -> ResolverMatch:
    # The language is part of the key: the i18n patterns match only the active language's
    # prefix, and translated routes differ per language.
    return resolver.resolve(path)


def resolve(resolver: URLResolver, path: str) -> ResolverMatch:
    """``resolver.resolve(path)`` for the active language, remembered."""
    remembered = _remembered_match(resolver, get_language(), path)
    match = ResolverMatch.__new__(ResolverMatch)
    match.__dict__.update(remembered.__dict__)
    match.kwargs = {**remembered.kwargs}
    return match


class Handler(WSGIHandler):
    request_class = Request

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf"):
            set_urlconf(request.urlconf)
            resolver = get_resolver(request.urlconf)
        else:
            resolver = get_resolver()
        request.resolver_match = resolve(resolver, request.path_info)
        return request.resolver_match
