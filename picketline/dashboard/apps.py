from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "picketline.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from picketline.accounts import admin_links
        from picketline.dashboard import counting
        from picketline.dashboard.moderation import MODERATE_ANYTHING

        counting.register()
        admin_links.register(
            "dashboard:figures",
            _("Dashboard: actions, supporters, outbox"),
            "dashboard.view_dailycount",
        )
        admin_links.register(
            "dashboard:moderation", _("Moderation: everything that waits"), MODERATE_ANYTHING
        )
