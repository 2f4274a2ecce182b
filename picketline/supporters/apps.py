from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "picketline.supporters"
    label = "supporters"
    verbose_name = _("Supporters and consent")

    def ready(self) -> None:
        from django.contrib import admin

        from picketline.mail import composers
        from picketline.supporters import (
            checks,  # noqa: F401 - registers the checks
            flow,
        )
        from picketline.supporters.accounts import install

        # Organiser log-in: password, then TOTP (outside demo), throttled.
        install(admin.site)
        composers.register(
            flow.CONFIRMATION_COMPOSER,
            flow.compose_confirmation,
            look_up=flow.look_up_confirmations,
        )
