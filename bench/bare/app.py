"""The yardstick: the smallest Django application that answers with a 2 KB HTML page.

No apps, no middleware, no database, no templates — one URL and one view. The benchmark serves it
with exactly the gunicorn settings of ``picketline serve`` and compares the campaign home page to
it. Not part of the product.
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Bare</title></head><body>"
    + "<p>Trade union activity is not extremism.</p>" * 44
    + "</body></html>"
).encode()
assert 2000 <= len(PAGE) <= 2100, len(PAGE)


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only-" + "x" * 40,
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

application = get_wsgi_application()
