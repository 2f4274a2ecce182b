"""The rule a supporter is told about when letters go (``LetterAction.sending_rule``) holds when
the whole worker is down for hours (a crash, a deploy, the machine off), or the outbox is far
behind. Letters the scheduler had put into the outbox for the afternoon are still queued when
the worker starts again in the recipient's night: the outbox does not take a letter past its
``send_before`` (its slot and a short grace, never past the window's close), and the
scheduler plans it again by the action's rule. Nothing goes before the window opens, no hour
holds more than the limit, and every letter goes in the end. A digest waits for the window
likewise. Mail that is no letter (a confirmation) has no ``send_before`` and goes at once."""

from __future__ import annotations

import smtplib
from datetime import datetime, time, timedelta

import pytest
import time_machine

from picketline.letters import sending
from picketline.letters.models import Delivery, Digest, LetterAction
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target
from tests.letters.test_letters_held_up_by_a_breakdown_keep_the_rule import (
    BERLIN,
    LIMIT,
    MONDAY,
    TUESDAY,
    embassy_action,
    sent,
    worker_rounds,
)

pytestmark = pytest.mark.django_db


def assert_kept_the_rule(letters: list[datetime], opens: time, closes: time) -> None:
    for moment in letters:
        assert opens <= moment.time() < closes, moment
        in_the_hour = [t for t in letters if moment <= t < moment + timedelta(hours=1)]
        assert len(in_the_hour) <= LIMIT, moment


def test_letters_queued_before_the_worker_went_down_wait_for_the_window(smtp_server):
    action = embassy_action()
    afternoon = MONDAY.replace(hour=16)
    with time_machine.travel(afternoon - timedelta(minutes=5), tick=False):
        for n in range(16):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    with time_machine.travel(afternoon, tick=False):
        # The letters' job's last run puts the next hour's letters into the outbox; then the
        # worker goes down before its outbox sends any of them.
        assert sending.queue_due() == LIMIT
    assert (
        OutgoingMessage.objects.filter(kind="letter", status=OutgoingMessage.Status.QUEUED).count()
        == LIMIT
    )
    with time_machine.travel(MONDAY.replace(hour=22), tick=False):
        OutgoingMessage.queue(
            to=["new@example.net"], subject="Please confirm", text="…", kind="confirmation"
        )

    night = TUESDAY.replace(hour=3)  # the worker starts again, in the embassy's night
    worker_rounds(night, TUESDAY.replace(hour=16), timedelta(minutes=2))

    assert sent("confirmation") == [night]  # other mail does not wait for the window
    letters = sent("letter")
    assert len(letters) == 16
    assert len(smtp_server.to("embassy@example.org")) == 16
    assert {moment.date() for moment in letters} == {TUESDAY.date()}
    assert_kept_the_rule(letters, time(9, 0), time(17, 0))
    assert not Delivery.objects.exclude(status=Delivery.Status.QUEUED).exists()


def test_letters_the_outbox_is_an_hour_late_for_keep_the_hourly_limit(smtp_server):
    """The outbox an hour behind (a big mailing ahead of the letters, or the worker down for an
    hour in the afternoon): the letters of that hour must not go at once, beside the next
    hour's."""
    action = embassy_action(closes=time(22, 0))
    start = MONDAY.replace(hour=15)
    with time_machine.travel(start - timedelta(minutes=1), tick=False):
        for n in range(16):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    worker_rounds(start, start + timedelta(minutes=50), timedelta(minutes=1))
    late = OutgoingMessage.objects.filter(kind="letter", status=OutgoingMessage.Status.QUEUED)
    assert late.exists()  # the next hour's, in the outbox when it stops
    worker_rounds(
        start + timedelta(hours=1, minutes=50),
        MONDAY.replace(hour=22, minute=30),
        timedelta(minutes=1),
    )

    letters = sent("letter")
    assert len(letters) == 16
    assert_kept_the_rule(letters, time(9, 0), time(22, 0))


def test_a_digest_queued_before_the_worker_went_down_waits_for_the_window(smtp_server):
    embassy = target("Embassy", "DE", time_zone="Europe/Berlin", emails=["digest@example.org"])
    action = letter_action(
        fixed=[embassy],
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    afternoon = MONDAY.replace(hour=16, minute=30)
    with time_machine.travel(afternoon - timedelta(minutes=5), tick=False):
        for n in range(3):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Monday {n}")
    with time_machine.travel(afternoon, tick=False):
        # The letters' job writes Monday's digest; the worker goes down before it is sent.
        assert sending.send_digests() == 1
    assert Digest.objects.get().message.status == OutgoingMessage.Status.QUEUED

    night = TUESDAY.replace(hour=3)
    worker_rounds(night, TUESDAY.replace(hour=12), timedelta(minutes=10))

    [digest] = sent("letter-digest")
    assert digest.date() == TUESDAY.date()
    assert time(9, 0) <= digest.time() < time(17, 0)
    [mail] = smtp_server.to("digest@example.org")
    assert "Monday 0" in mail.get_content()
    assert Digest.objects.get().day == TUESDAY.date()  # the one of its day


def test_a_letter_retried_after_the_window_closed_waits_even_before_the_scheduler_runs():
    """The outbox puts a letter that failed at 16:59 back for 17:00, and a round of the outbox
    comes before the scheduler's: the letter does not go outside the window."""
    action = embassy_action()
    evening = MONDAY.replace(hour=16, minute=59, second=10)
    with time_machine.travel(evening, tick=False):
        confirmed_letter(action)
        assert sending.queue_due() == 1
        [message] = outbox.claim_batch()
        outbox.record_failure(message, smtplib.SMTPDataError(451, b"try again later"))
    with time_machine.travel(evening + timedelta(minutes=1, seconds=5), tick=False):
        assert outbox.send_due() == 0  # 17:00:15: the window has closed
        sending.queue_due()
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.QUEUED
    assert message.attempts == 1
    assert TUESDAY.replace(hour=9) <= message.send_after.astimezone(BERLIN)
    assert message.send_before.astimezone(BERLIN) <= TUESDAY.replace(hour=17)
    with time_machine.travel(message.send_after, tick=False):
        assert outbox.send_due() == 1


def test_however_late_in_its_grace_each_letter_goes_no_hour_holds_more_than_the_limit(
    smtp_server,
):
    """A worker a little behind sends each letter somewhere between its slot and its
    ``send_before``: the slots leave room for that, so that even then no hour holds more than
    the limit, and none goes after the window closes."""
    action = embassy_action()
    start = MONDAY.replace(hour=12)
    with time_machine.travel(start - timedelta(minutes=1), tick=False):
        for n in range(20):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    worker_rounds(start, TUESDAY.replace(hour=12), timedelta(minutes=3))

    rows = list(
        OutgoingMessage.objects.filter(kind="letter")
        .order_by("send_after")
        .values_list("send_after", "send_before")
    )
    assert len(rows) == 20
    for (_slot, latest), (later_slot, _) in zip(rows, rows[LIMIT:], strict=False):
        assert later_slot >= latest + timedelta(hours=1)
    for slot, latest in rows:
        assert slot < latest <= slot + sending.GRACE
        closes = datetime.combine(slot.astimezone(BERLIN).date(), time(17, 0), tzinfo=BERLIN)
        assert latest <= closes


def test_a_letter_whose_worker_was_killed_while_sending_waits_for_the_window(smtp_server):
    """A worker claims a letter at 16:59 and is killed (``kill -9``) before sending it. The next
    worker starts at 19:00 and, in its first round, hands the stale claim back to the outbox and
    claims what is due in the same call, before the letters' job runs: the letter must not go
    in the evening, but at the next morning's opening."""
    action = embassy_action()
    with time_machine.travel(MONDAY.replace(hour=16, minute=59), tick=False):
        confirmed_letter(action)
        assert sending.queue_due() == 1
        [claimed] = outbox.claim_batch()
    with time_machine.travel(MONDAY.replace(hour=19), tick=False):
        outbox.send_due()  # the new worker's first round: the outbox first, then the jobs
        sending.queue_due()
    claimed.refresh_from_db()
    assert claimed.status != OutgoingMessage.Status.SENT
    assert sent("letter") == []
    worker_rounds(MONDAY.replace(hour=19), MONDAY.replace(hour=23), timedelta(minutes=10))
    assert sent("letter") == []
    worker_rounds(
        TUESDAY.replace(hour=8, minute=50), TUESDAY.replace(hour=10), timedelta(minutes=1)
    )
    [letter] = sent("letter")
    assert TUESDAY.replace(hour=9) <= letter < TUESDAY.replace(hour=10)
    assert len(smtp_server.messages) == 1
