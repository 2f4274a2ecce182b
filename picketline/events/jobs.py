"""Periodic work for events: reminders, offers of freed seats that were not taken in time, and
the hosts' messages that outlived their mails.

Each is safe to run twice or to kill half-way: a reminder is claimed by a unique row written in
the same transaction as its e-mail, and lapsing an offer is a conditional update under the
event's lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from picketline.events import mails
from picketline.events.models import Event, HostMessage, Registration, ReminderSent
from picketline.events.models.event import MAX_REMINDER_OFFSET
from picketline.jobs.schedule import every
from picketline.mail.models import sent_mail_kept_for


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder whose time has come and that has not gone yet; returns how many.

    With offsets of 24 h and 1 h, the first is due from 24 h before the start until the second
    is due, the second until the start: at most one reminder at a time, even after the worker
    was down for a while. Whoever got their seat after a reminder fell due already had every
    detail in their confirmation, so they are not sent that one.
    """
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        starts_at__gt=now, starts_at__lte=now + MAX_REMINDER_OFFSET, registration_required=True
    )
    for event in events:
        offsets = event.reminder_offsets()  # longest first
        for offset, next_offset in zip(offsets, [*offsets[1:], timedelta(0)], strict=True):
            due_at = event.starts_at - offset
            if not (due_at <= now < event.starts_at - next_offset):
                continue
            minutes = int(offset.total_seconds() // 60)
            already = ReminderSent.objects.filter(
                registration=OuterRef("pk"), minutes_before=minutes, starts_at=event.starts_at
            )
            attending = (
                event.registrations.attending()
                .filter(seated_at__lte=due_at, supporter__isnull=False)
                .exclude(Exists(already))
            )
            for registration in attending.select_related("supporter", "event"):
                with transaction.atomic():
                    if ReminderSent.claim(registration, minutes, event.starts_at):
                        mails.reminder(registration)
                        sent += 1
    return sent


def lapse_expired_offers(now: datetime | None = None) -> int:
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(event.lapse_expired_offers(now) for event in Event.objects.filter(pk__in=event_ids))


def purge_old_host_messages(now: datetime | None = None) -> int:
    """What hosts wrote goes when the mails it was sent as go (``jobs.purge_sent_mail``):
    written longer ago than PICKETLINE_SENT_MAIL_KEEP_DAYS. Returns how many went."""
    cutoff = (now or timezone.now()) - sent_mail_kept_for()
    deleted, _counts = HostMessage.objects.written_before(cutoff).delete()
    return deleted


@every(timedelta(minutes=5))
def event_reminders() -> None:
    send_due_reminders()


@every(timedelta(minutes=5))
def event_offers() -> None:
    lapse_expired_offers()


@every(timedelta(hours=1))
def purge_host_messages() -> None:
    purge_old_host_messages()
