"""The yardstick for the journey benchmark: the smallest Django application that serves the
same six requests as a supporter's journey — four 2 KB pages and two POSTs that write one row
each to PostgreSQL. No apps, no middleware, no templates. Not part of the product; served by
the benchmark with exactly the gunicorn command line of ``picketline serve``.

    GET  /            the home page
    GET  /form/       the action page
    POST /submit/     one INSERT, then a redirect whose Location is the "confirmation link"
    GET  /confirm/N/  the page the link opens
    POST /confirm/N/  one INSERT, then a redirect to the page after confirming
    GET  /done/       the page after confirming
"""

from __future__ import annotations

import os

import dj_database_url
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

TABLE = "bench_bare_journey"
PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Bare</title></head><body>"
    + "<p>Trade union activity is not extremism.</p>" * 44
    + "</body></html>"
).encode()


def page(request: HttpRequest, number: int = 0) -> HttpResponse:
    return HttpResponse(PAGE)


def _insert(email: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (email) VALUES (%s) RETURNING id",  # noqa: S608 - constant
            [email],
        )
        return cursor.fetchone()[0]


@csrf_exempt
def submit(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"/confirm/{_insert(request.POST.get('email', ''))}/")


@csrf_exempt
def confirm(request: HttpRequest, number: int) -> HttpResponse:
    if request.method == "POST":
        _insert(f"confirmed {number}")
        return HttpResponseRedirect("/done/")
    return page(request)


urlpatterns = [
    path("", page),
    path("form/", page),
    path("submit/", submit),
    path("confirm/<int:number>/", confirm),
    path("done/", page),
]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only-" + "x" * 40,
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
        DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)},
    )

application = get_wsgi_application()
