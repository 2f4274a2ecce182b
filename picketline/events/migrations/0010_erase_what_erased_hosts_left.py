"""Hosts erased before the erasure took their words: blank what they typed on their actions,
withdraw their undecided proposals, delete their reports with the photos and their messages to
those who signed up, and the description an event was given from their proposal (what
``HostedAction.erase_personal_data`` now does at erasure)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations
from django.utils import timezone


def erase_what_is_left(apps, schema_editor):
    HostedAction = apps.get_model("events", "HostedAction")
    HostedReport = apps.get_model("events", "HostedReport")
    ReportPhoto = apps.get_model("events", "ReportPhoto")
    Event = apps.get_model("events", "Event")
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    MailboxMessage = apps.get_model("mail", "MailboxMessage")
    erased = HostedAction.objects.filter(supporter__isnull=True, confirmed_at__isnull=False)
    for hosted in erased.iterator():
        if hosted.event_id is not None and hosted.description:
            event = Event.objects.get(pk=hosted.event_id)
            copied = [
                f"description_{code}"
                for code, _name in settings.LANGUAGES
                if getattr(event, f"description_{code}") == hosted.description
            ]
            for name in copied:
                setattr(event, name, "")
            if copied:
                event.save(update_fields=copied)
        hosted.title = hosted.description = hosted.city = hosted.place = hosted.contact = ""
        hosted.latitude = hosted.longitude = None
        if hosted.status == "proposed":
            hosted.status, hosted.decided_at = "withdrawn", timezone.now()
        hosted.save()
        for report in HostedReport.objects.filter(hosted_action=hosted):
            names = list(ReportPhoto.objects.filter(report=report).values_list("image", flat=True))
            ReportPhoto.objects.filter(report=report).delete()
            report.delete()
            for name in names:
                try:
                    default_storage.delete(name)
                except OSError:
                    pass  # a file that cannot be deleted now is no reason to stop a migration
        if hosted.event_id is not None:
            messages = OutgoingMessage.objects.filter(
                kind="event-host-message", group=f"event-{hosted.event_id}"
            )
            copies = [m for m in messages.values_list("message_id", flat=True) if m]
            MailboxMessage.objects.filter(message_id__in=copies).delete()
            messages.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_hosted_action_withdrawn"),
        ("mail", "0009_outgoingmessage_mail_outgoing_stuck"),
    ]

    operations = [migrations.RunPython(erase_what_is_left, migrations.RunPython.noop)]
