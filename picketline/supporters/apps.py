from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "picketline.supporters"
    label = "supporters"
    verbose_name = _("Supporters and consent")

    def ready(self) -> None:
        from picketline.supporters import checks  # noqa: F401 - registers the checks
