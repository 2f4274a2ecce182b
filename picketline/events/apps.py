from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "picketline.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from picketline.events import mails
        from picketline.mail import composers

        composers.register(mails.COMPOSER, mails.compose)
