"""What the suite reads back from the product's database (in-process, same settings as the
servers): actions a client was told were accepted but are not stored, and the outbox against
what the SMTP server received."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import close_old_connections, connections

from picketline.letters.models import Letter
from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import VideoMessage
from picketline.web.fields import email_index

Status = OutgoingMessage.Status
FINISHED = (Status.SENT, Status.FAILED)


def fresh_connection() -> None:
    """The suite restarts PostgreSQL under its own feet too."""
    close_old_connections()
    connections.close_all()


def letters_missing(emails: list[str]) -> int:
    fresh_connection()
    indexes = {email_index(email) for email in emails}
    stored = set(
        Letter.objects.filter(supporter__email_index__in=indexes).values_list(
            "supporter__email_index", flat=True
        )
    )
    return len(indexes - stored)


def videos_missing(emails: list[str]) -> int:
    fresh_connection()
    indexes = {email_index(email) for email in emails}
    stored = set(
        VideoMessage.objects.filter(supporter__email_index__in=indexes).values_list(
            "supporter__email_index", flat=True
        )
    )
    return len(indexes - stored)


def video_files_named() -> set[str]:
    fresh_connection()
    return {name for name in VideoMessage.objects.values_list("original", flat=True) if name}


def waiting_mail() -> int:
    fresh_connection()
    return OutgoingMessage.objects.exclude(status__in=FINISHED).count()


@dataclass
class MailTally:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    lost: int = 0  # marked sent, never received
    duplicated: int = 0  # received more than once: copies beyond the first

    def __sub__(self, other: MailTally) -> MailTally:
        return MailTally(*(getattr(self, f) - getattr(other, f) for f in self.__dataclass_fields__))


def tally_mail(received: Counter) -> MailTally:
    fresh_connection()
    tally = MailTally()
    for message_id, status in OutgoingMessage.objects.values_list("message_id", "status"):
        if status == Status.SENT:
            tally.sent += 1
            tally.lost += received[message_id] == 0
        elif status == Status.FAILED:
            tally.failed += 1
        else:
            tally.waiting += 1
    tally.duplicated = sum(count - 1 for count in received.values() if count > 1)
    return tally
