from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "picketline.accounts"
    label = "accounts"
    verbose_name = _("Organiser accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from picketline.accounts.login import install

        # Organiser log-in: password, then TOTP (outside demo), throttled.
        install(admin.site)
