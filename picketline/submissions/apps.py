from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "picketline.submissions"
    label = "submissions"
    verbose_name = _("Submissions and moderation")

    def ready(self) -> None:
        from picketline.submissions import housekeeping
        from picketline.supporters import withdrawal
        from picketline.supporters.models import Consent

        # Withdrawing "face and voice" takes the video down at once.
        withdrawal.register(
            "submissions.videomessage",
            Consent.Purpose.PUBLISH_FACE_VOICE,
            housekeeping.take_down_after_withdrawal,
        )
