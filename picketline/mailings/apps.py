from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "picketline.mailings"
    label = "mailings"
    verbose_name = _("Mailings to supporters")

    def ready(self) -> None:
        from picketline.mail import composers
        from picketline.mailings import sending

        # Each message of a mailing is written by the worker as it goes: the outbox holds the
        # mailing's number and the recipient's, never a copy of the text.
        composers.register(
            sending.MAILING_COMPOSER,
            sending.compose_mailing,
            look_up=sending.look_up_mailings,
            describe=sending.describe_mailing,
        )
