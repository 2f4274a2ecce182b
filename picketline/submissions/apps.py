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

        from django.utils.translation import gettext

        from picketline.supporters import embed

        def submissions_to_embed() -> list[embed.Embeddable]:
            return [
                embed.Embeddable(gettext("Video message"), "submissions_embed:video_form", {}),
                embed.Embeddable(gettext("Endorsement"), "submissions_embed:endorse_form", {}),
            ]

        embed.register(submissions_to_embed)

        from picketline.submissions.models import PUBLIC_FOLDER
        from picketline.web import orphans

        # Originals (``originals/``), published copies (``submissions/``): files no row names go.
        orphans.register("private", "originals", housekeeping.originals_referenced)
        orphans.register("default", PUBLIC_FOLDER, housekeeping.published_referenced)
