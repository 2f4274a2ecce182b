"""The page promises one message a day to each recipient, sent inside the action's hours. A
digest written but not yet sent when the organisers pause is taken back whole, as erasure takes
one back: on resuming, it does not go at whatever hour that is, nor beside the next day's own
digest. The first run inside the window after resuming writes one digest with every letter."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from picketline.letters import sending
from picketline.letters.models import Delivery, Digest, LetterAction
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db

EMBASSY = "embassy@example.org"


def digest_action():
    embassy = target("Embassy", "DE", emails=[EMBASSY])
    action = letter_action(
        fixed=[embassy],
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    return action, embassy.zone


def written_then_paused(name: str = "A", *, sent_first: bool = False):
    """A letter confirmed at 09:55 on 7 December, that day's digest written at 10:00 (and
    sent, with ``sent_first``), then the action paused."""
    action, zone = digest_action()
    morning = datetime(2026, 12, 7, 10, 0, tzinfo=zone)
    with time_machine.travel(morning - timedelta(minutes=5), tick=False):
        confirmed_letter(action, email="a@example.net", name=name)
    with time_machine.travel(morning, tick=False):
        assert sending.send_digests() == 1
        if sent_first:
            send_everything_due()
        action.pause()
    return action, zone


def send_everything_due() -> None:
    while outbox.send_due():
        pass


def to_the_embassy() -> list:
    return [m for m in mail.outbox if EMBASSY in m.to]


def test_a_digest_held_by_a_pause_does_not_go_on_resuming_at_night():
    action, zone = written_then_paused()  # before the worker sent the digest
    assert not Digest.objects.exists()
    assert not OutgoingMessage.objects.filter(kind="letter-digest").exists()
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    with time_machine.travel(datetime(2026, 12, 7, 23, 30, tzinfo=zone), tick=False):
        action.refresh_from_db()
        action.resume()
        sending.send_digests()  # outside the window: nothing is written
        send_everything_due()
    assert to_the_embassy() == []

    with time_machine.travel(datetime(2026, 12, 8, 9, 5, tzinfo=zone), tick=False):
        assert sending.send_digests() == 1
        send_everything_due()
    [digest] = to_the_embassy()
    assert "A" in digest.body
    assert Delivery.objects.get().status == Delivery.Status.DIGESTED


def test_the_next_day_gets_one_digest_with_every_letter():
    action, zone = written_then_paused("Anna First")
    with time_machine.travel(datetime(2026, 12, 8, 9, 5, tzinfo=zone), tick=False):
        confirmed_letter(action, email="b@example.net", name="Boris Second")
    with time_machine.travel(datetime(2026, 12, 8, 9, 30, tzinfo=zone), tick=False):
        action.refresh_from_db()
        action.resume()
        sending.send_digests()
        send_everything_due()
        sending.send_digests()  # a later run the same day writes no second one
        send_everything_due()
    [digest] = to_the_embassy()
    assert "Anna First" in digest.body
    assert "Boris Second" in digest.body
    assert Digest.objects.get().letters == 2


def test_a_digest_that_went_before_the_pause_stays_sent():
    written_then_paused(sent_first=True)
    assert len(to_the_embassy()) == 1
    assert Digest.objects.get().letters == 1
    assert Delivery.objects.get().status == Delivery.Status.DIGESTED
