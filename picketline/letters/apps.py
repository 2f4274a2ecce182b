from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "picketline.letters"
    label = "letters"
    verbose_name = _("Letters and targets")

    def ready(self) -> None:
        from picketline.letters import replies, sending
        from picketline.letters.models import LetterAction
        from picketline.mail import composers
        from picketline.supporters import embed, withdrawal
        from picketline.supporters.models import Consent

        # Withdrawing "send this in my name" takes back every letter of it not yet gone.
        withdrawal.register(
            "letters.letter", Consent.Purpose.SEND_IN_MY_NAME, sending.stop_sending_in_name
        )
        composers.register(
            replies.COMPOSER,
            replies.compose_question,
            describe=composers.told_again(replies.compose_question),
        )

        def letters_to_embed() -> list[embed.Embeddable]:
            return [
                embed.Embeddable(action.title, "letters_embed:action", {"slug": action.slug})
                for action in LetterAction.objects.published()
            ]

        embed.register(letters_to_embed)

        from picketline.letters.models import REPLY_DOCUMENTS, Reply
        from picketline.web import orphans

        # A reply's document nothing refers to any more (a failed deletion) goes too.
        orphans.register("private", REPLY_DOCUMENTS, Reply.documents_referenced)
