"""The yardstick for the letters benchmark: the smallest Django application that takes a POST
and writes one row to PostgreSQL. No apps, no middleware, one view, one INSERT. Not part of the
product; served by the benchmark with exactly the gunicorn command line of ``picketline serve``.
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

TABLE = "bench_bare_insert"


@csrf_exempt
def submit(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (email, name) VALUES (%s, %s)",  # noqa: S608 - constant
            [request.POST.get("email", ""), request.POST.get("name", "")],
        )
    return HttpResponseRedirect("/done/")


urlpatterns = [path("", submit)]

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
