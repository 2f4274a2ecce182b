from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "picketline.web"
    label = "web"
    verbose_name = _("Site")

    def ready(self) -> None:
        from picketline.web import (
            checks,  # noqa: F401 - registers the deploy checks
            orphans,
            uploads,
        )

        # On local disk the private storage's folder also holds uploads a broken request left.
        orphans.register("private", uploads.FOLDER, tuple)
