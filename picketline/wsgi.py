import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picketline.settings")

django_application = get_wsgi_application()

from picketline.web.cache import PageCacheApplication  # noqa: E402 - needs Django set up

# Cached public pages are answered before Django handles the request (see picketline.web.cache).
application = PageCacheApplication(django_application)
