"""Tiny views for the page-cache tests, independent of the campaign pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from picketline.web.cache import public_page

calls: dict[str, int] = {}
headline = {"text": "Free the unionists"}


def _count(name: str) -> None:
    calls[name] = calls.get(name, 0) + 1


@public_page
def home(request: HttpRequest) -> HttpResponse:
    _count("home")
    body = f"<!doctype html><title>x</title><h1>{headline['text']}</h1><p>{gettext('Language')}</p>"
    return HttpResponse(body)


@public_page
def with_base_template(request: HttpRequest) -> HttpResponse:
    """The site layout reads the messages (and so the session) on every page."""
    _count("with_base_template")
    template = engines["django"].from_string(
        '{% extends "web/base.html" %}{% block content %}<h1>Campaign</h1>{% endblock %}'
    )
    return HttpResponse(template.render({}, request))


@public_page
def with_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # only reached past Django's CSRF check
        return HttpResponse("<p>Signed.</p>")
    _count("with_form")
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Sign</button></form>'
    )
    return HttpResponse(template.render({}, request))


@public_page
def with_form_lazy(request: HttpRequest) -> TemplateResponse:
    """Rendered after the view returns, as a TemplateResponse is."""
    _count("with_form_lazy")
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Sign</button></form>'
    )
    return TemplateResponse(request, template, {})


@public_page
def with_token_reused(request: HttpRequest) -> HttpResponse:
    _count("with_token_reused")
    return HttpResponse(f"<p>{len(get_token(request))}</p>")


@public_page
def search(request: HttpRequest) -> HttpResponse:
    """A GET form needs no token, so it may be cached."""
    _count("search")
    return HttpResponse('<form method="get"><input name="q"><button>Find</button></form>')


def not_opted_in(request: HttpRequest) -> HttpResponse:
    _count("not_opted_in")
    return HttpResponse("<p>fresh</p>")


@public_page
def missing(request: HttpRequest) -> HttpResponse:
    _count("missing")
    return render(request, "web/base.html", status=404)


def away(request: HttpRequest, kind: str) -> HttpResponse:
    """Fails as a view does when a service is away: what the database driver, django-redis or
    the kernel raise then; "bug" is an ordinary programming error."""
    import errno

    from django.core.exceptions import PermissionDenied
    from django.db import InterfaceError, OperationalError
    from django_redis.exceptions import ConnectionInterrupted

    failures = {
        "database": OperationalError("connection to server at 127.0.0.1 failed: refused"),
        "closed": InterfaceError("connection already closed"),
        "redis": ConnectionInterrupted(connection=None),
        "disk": OSError(errno.ENOSPC, "No space left on device"),
        "bug": ValueError("a bug"),
        "forbidden": PermissionDenied("not for this visitor"),
    }
    raise failures[kind]


def busy(request: HttpRequest) -> HttpResponse:
    """A view that answers 503 itself, as no view of ours does but /readyz."""
    return HttpResponse("busy", status=503, content_type="text/plain")
