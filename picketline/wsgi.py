import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picketline.settings")

# As django.core.wsgi.get_wsgi_application, with Django's handler made quicker for form posts.
django.setup(set_prefix=False)

from picketline.web.cache import PageCacheApplication  # noqa: E402 - needs Django set up
from picketline.web.handler import Handler  # noqa: E402

django_application = Handler()

# Cached public pages are answered before Django handles the request (see picketline.web.cache).
application = PageCacheApplication(django_application)
