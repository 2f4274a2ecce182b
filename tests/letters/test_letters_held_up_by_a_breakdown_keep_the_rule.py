"""The rule a supporter is told about when letters go (``LetterAction.sending_rule``) holds
after a breakdown of the mail server too. While the server refuses connections, the outbox
puts back what it could not send; the scheduler plans those letters again by the action's
rule, so that when the server works again, in the middle of the recipient's night, none goes
before the window opens, and then no more than the hourly limit in any hour: an embassy that
got them all at 3 a.m. would take the campaign for spam. A digest waits for the window likewise,
and stays the one of its day. Mail that is no letter (a confirmation) goes at once."""

from __future__ import annotations

import smtplib
import socket
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from picketline.letters import sending
from picketline.letters.models import Delivery, Digest, LetterAction
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
LIMIT = 4
MONDAY = datetime(2026, 3, 2, tzinfo=BERLIN)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = TUESDAY + timedelta(days=1)


def embassy_action(closes: time = time(17, 0)) -> LetterAction:
    """A letter action to an embassy in Berlin: at most LIMIT letters an hour, from 09:00 to
    ``closes`` in Berlin."""
    embassy = target("Embassy", "DE", time_zone="Europe/Berlin", emails=["embassy@example.org"])
    return letter_action(
        fixed=[embassy], max_per_hour=LIMIT, window_start=time(9, 0), window_end=closes
    )


def closed_port() -> int:
    """A port on which nothing listens: connecting to it is refused, as to a server down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_rounds(start: datetime, end: datetime, step: timedelta) -> None:
    """What ``picketline worker`` does, a round every ``step``: the outbox first, its error
    logged and passed over as the dispatcher does, then the letters' job."""
    with time_machine.travel(start, tick=False) as clock:
        while datetime.now(BERLIN) < end:
            try:
                while outbox.send_due():
                    pass
            except OSError:  # the connection refused: the batch went back to the outbox
                pass
            sending.queue_due()
            sending.send_digests()
            clock.shift(step)


def sent(kind: str) -> list[datetime]:
    return sorted(
        moment.astimezone(BERLIN)
        for moment in OutgoingMessage.objects.filter(
            kind=kind, status=OutgoingMessage.Status.SENT
        ).values_list("sent_at", flat=True)
    )


def test_letters_held_up_wait_for_the_window_then_go_within_the_hourly_limit(smtp_server, settings):
    action = embassy_action()
    afternoon = MONDAY.replace(hour=15)
    with time_machine.travel(afternoon, tick=False):
        for n in range(16):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")

    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()  # the mail server breaks down at 15:00
    night = TUESDAY.replace(hour=3)
    worker_rounds(afternoon, night - timedelta(hours=1), timedelta(minutes=5))
    assert sent("letter") == []
    with time_machine.travel(night - timedelta(minutes=30), tick=False):
        OutgoingMessage.queue(
            to=["new@example.net"], subject="Please confirm", text="…", kind="confirmation"
        )
    worker_rounds(night - timedelta(hours=1), night, timedelta(minutes=5))

    settings.EMAIL_PORT = working  # and works again at 03:00, in the embassy's night
    worker_rounds(night, TUESDAY.replace(hour=15), timedelta(minutes=2))

    assert sent("confirmation") == [night]  # other mail does not wait for the window
    letters = sent("letter")
    assert len(letters) == 16
    assert len(smtp_server.to("embassy@example.org")) == 16
    for moment in letters:
        assert moment.date() == TUESDAY.date()
        assert time(9, 0) <= moment.time() < time(17, 0), moment
        in_the_hour = [t for t in letters if moment <= t < moment + timedelta(hours=1)]
        assert len(in_the_hour) <= LIMIT, moment
    assert not Delivery.objects.exclude(status=Delivery.Status.QUEUED).exists()


def test_a_digest_held_up_waits_for_the_window_and_is_the_one_of_its_day(smtp_server, settings):
    embassy = target("Embassy", "DE", time_zone="Europe/Berlin", emails=["digest@example.org"])
    action = letter_action(
        fixed=[embassy],
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()  # down from 16:00 on Monday
    afternoon = MONDAY.replace(hour=16)
    with time_machine.travel(afternoon + timedelta(minutes=25), tick=False):
        for n in range(3):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Monday {n}")
    night = TUESDAY.replace(hour=3)
    worker_rounds(afternoon, night, timedelta(minutes=10))
    assert Digest.objects.get().letters == 3  # written at 16:30, and could not go

    settings.EMAIL_PORT = working  # back at 03:00
    with time_machine.travel(TUESDAY.replace(hour=7), tick=False):
        confirmed_letter(action, email="t@example.net", name="Tuesday Early")
    worker_rounds(night, WEDNESDAY.replace(hour=10), timedelta(minutes=10))

    digests = sent("letter-digest")
    assert [moment.date() for moment in digests] == [TUESDAY.date(), WEDNESDAY.date()]
    assert all(time(9, 0) <= moment.time() < time(17, 0) for moment in digests)
    tuesday, wednesday = smtp_server.to("digest@example.org")
    assert "Monday 0" in tuesday.get_content()
    assert "Tuesday Early" not in tuesday.get_content()
    assert "Tuesday Early" in wednesday.get_content()
    assert "Monday 0" not in wednesday.get_content()


def test_a_retry_the_outbox_puts_after_the_window_waits_for_it_and_keeps_its_attempts():
    action = embassy_action()
    evening = MONDAY.replace(hour=16, minute=59, second=30)
    with time_machine.travel(evening, tick=False):
        confirmed_letter(action)
        assert sending.queue_due() == 1
        [message] = outbox.claim_batch()
        # The server asks to try again later: the outbox would, a minute later, at 17:00:30.
        outbox.record_failure(message, smtplib.SMTPDataError(451, b"try again later"))
    with time_machine.travel(evening + timedelta(seconds=20), tick=False):
        sending.queue_due()
    with time_machine.travel(evening + timedelta(minutes=2), tick=False):
        assert outbox.send_due() == 0
    assert mail.outbox == []
    message.refresh_from_db()
    delivery = Delivery.objects.get()
    assert message.status == OutgoingMessage.Status.QUEUED
    assert message.attempts == 1  # counted still: a message refused for good still fails
    assert message.send_after == delivery.scheduled_for
    assert (
        TUESDAY.replace(hour=9) <= message.send_after.astimezone(BERLIN) < TUESDAY.replace(hour=10)
    )
    with time_machine.travel(message.send_after, tick=False):
        assert outbox.send_due() == 1
