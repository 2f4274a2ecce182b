from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "picketline.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from picketline.events import mails
        from picketline.mail import composers

        composers.register(
            mails.COMPOSER, mails.compose, describe=composers.told_again(mails.compose)
        )

        from picketline.events.models import Event
        from picketline.supporters import embed

        def events_to_embed() -> list[embed.Embeddable]:
            return [
                embed.Embeddable(event.title, "events_embed:detail", {"slug": event.slug})
                for event in Event.objects.listed()
                if event.registration_state() != "not_required"
            ]

        embed.register(events_to_embed)

        from picketline.events.models import ReportPhoto
        from picketline.web import orphans

        # Photos left by a report deleted another way, or by a deletion that failed, go too.
        orphans.register_file_field(ReportPhoto, "image")
