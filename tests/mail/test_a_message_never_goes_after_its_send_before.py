"""``send_before``: the outbox's "never after". The worker does not take a message once its
``send_before`` has passed (a letter that would arrive at night): it stays queued, counted as
late by ``/readyz``, for what wrote it to give it a new time. Mail without one goes whenever."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage

pytestmark = pytest.mark.django_db


def queue(kind: str, **times) -> OutgoingMessage:
    return OutgoingMessage.queue(
        to=[f"{kind}@example.org"], subject="s", text="t", kind=kind, **times
    )


def test_the_worker_takes_a_message_until_its_send_before_and_never_after(smtp_server):
    now = timezone.now()
    gone_by = queue(
        "late", send_after=now - timedelta(hours=3), send_before=now - timedelta(hours=2)
    )
    queue("in-time", send_after=now - timedelta(minutes=1), send_before=now + timedelta(minutes=4))
    whenever = queue("confirmation", send_after=now - timedelta(hours=5))

    assert outbox.send_due() == 2
    assert {m.kind for m in OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT)} == {
        "in-time",
        "confirmation",
    }
    gone_by.refresh_from_db()
    assert gone_by.status == OutgoingMessage.Status.QUEUED  # not lost: it waits for new times
    assert outbox.send_due() == 0

    gone_by.send_after, gone_by.send_before = now, now + timedelta(minutes=5)
    gone_by.save(update_fields=["send_after", "send_before"])
    assert outbox.send_due() == 1
    whenever.refresh_from_db()
    assert whenever.send_before is None


@override_settings(OUTBOX_LATE_SECONDS=60)
def test_readyz_counts_a_message_past_its_send_before_as_late(client):
    now = timezone.now()
    queue("late", send_after=now - timedelta(minutes=10), send_before=now - timedelta(minutes=5))
    assert not OutgoingMessage.objects.due(now).exists()
    outbox_line = next(
        line
        for line in client.get("/readyz").content.decode().splitlines()
        if line.startswith("outbox")
    )
    assert re.fullmatch(r"outbox late 60\ds", outbox_line)
