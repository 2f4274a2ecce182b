from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Where picketline.urls mounts the API (a test checks the two agree).
PATH_PREFIX = "/api/"


class ApiConfig(AppConfig):
    name = "picketline.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from picketline.api.http import unavailable
        from picketline.web import unavailable as web_unavailable

        # A database or Redis away for a while: the API's clients get JSON, not the page.
        web_unavailable.register(PATH_PREFIX, unavailable)
