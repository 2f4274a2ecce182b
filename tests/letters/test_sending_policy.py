"""With a fake clock: the throttle and the sending window hold, the digest goes once a day,
and a paused action stops at once and resumes where it stopped."""

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from picketline.letters import sending
from picketline.letters.models import Delivery, LetterAction, Role
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def run_minutes(start: datetime, minutes: int, step: int = 1) -> None:
    """Run the scheduler and the outbox once a minute, as the worker would."""
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(0, minutes, step):
            sending.queue_due()
            sending.send_digests()
            while outbox.send_due():
                pass
            clock.shift(timedelta(minutes=step))


def sent_letters(kind: str = "letter") -> list[datetime]:
    return sorted(
        OutgoingMessage.objects.filter(kind=kind, status=OutgoingMessage.Status.SENT).values_list(
            "sent_at", flat=True
        )
    )


def test_single_letters_keep_to_the_hourly_limit_and_the_window(smtp_server):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, time_zone="Europe/Berlin")
    action = letter_action(
        fixed=[ministry], max_per_hour=10, window_start=time(9, 0), window_end=time(17, 0)
    )
    start = datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN)  # a Monday, before office hours
    with time_machine.travel(start - timedelta(hours=1), tick=False):
        for n in range(100):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")

    run_minutes(start, 60 * 30, step=2)  # until Tuesday 13:00

    times = sent_letters()
    assert len(times) == 100  # up to 8 hours × 10 on Monday, the rest on Tuesday morning
    for moment in times:
        local = moment.astimezone(BERLIN)
        assert time(9, 0) <= local.time() <= time(17, 0), local
    for moment in times:
        in_hour = [t for t in times if moment <= t < moment + timedelta(hours=1)]
        assert len(in_hour) <= 10
    by_day = Counter(t.astimezone(BERLIN).date() for t in times)
    assert 70 <= by_day[datetime(2026, 3, 2).date()] <= 80
    assert by_day[datetime(2026, 3, 2).date()] + by_day[datetime(2026, 3, 3).date()] == 100
    assert len(smtp_server.to("ministry.of.labour@example.org")) == 100


def test_letters_are_spread_with_jitter_not_sent_like_clockwork(smtp_server):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, time_zone="Europe/Berlin")
    action = letter_action(fixed=[ministry], max_per_hour=6)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(start, tick=False):
        for n in range(12):
            confirmed_letter(action, email=f"s{n}@example.net")
    run_minutes(start, 160)
    slots = sorted(
        Delivery.objects.exclude(scheduled_for=None).values_list("scheduled_for", flat=True)
    )
    gaps = {round((b - a).total_seconds()) for a, b in zip(slots, slots[1:], strict=False)}
    assert all(gap >= 0.7 * 600 for gap in gaps)  # about 3600 / 6 seconds apart
    assert len(gaps) > 1  # but not like clockwork
    assert slots[6] - slots[0] >= timedelta(hours=1)  # and never 7 in one hour


def test_the_window_follows_the_targets_time_zone(smtp_server):
    embassy = target(
        "Embassy of Belarus in the USA",
        "US",
        time_zone="America/New_York",
        emails=["us@example.org"],
    )
    action = letter_action(fixed=[embassy], window_start=time(9, 0), window_end=time(17, 0))
    # 10:00 in Berlin is 04:00 in New York: nothing may go before 09:00 there.
    start = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(start, tick=False):
        confirmed_letter(action)
    run_minutes(start, 60 * 10, step=5)
    [sent] = sent_letters()
    assert sent.astimezone(ZoneInfo("America/New_York")).time() >= time(9, 0)
    assert sent.astimezone(ZoneInfo("America/New_York")).date() == start.date()


def test_the_digest_goes_once_a_day_with_everyone_who_wrote(smtp_server):
    ministry = target(
        "Ministry of Labour",
        "DE",
        Role.LABOUR_MINISTRY,
        time_zone="Europe/Berlin",
        emails=["digest@example.org"],
    )
    action = letter_action(
        fixed=[ministry],
        sending_policy=LetterAction.SendingPolicy.DIGEST,
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    day_one = datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN)
    with time_machine.travel(day_one, tick=False):
        for n in range(37):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    run_minutes(day_one, 60 * 4, step=10)  # 08:00–12:00: the digest goes at 09:00
    # More letters in the afternoon wait for tomorrow's digest.
    afternoon = datetime(2026, 3, 2, 13, 0, tzinfo=BERLIN)
    with time_machine.travel(afternoon, tick=False):
        for n in range(37, 40):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    run_minutes(afternoon, 60 * 30, step=10)  # until Tuesday 19:00

    digests = smtp_server.to("digest@example.org")
    assert len(digests) == 2
    first, second = digests
    assert first["Subject"].startswith("Today 37 people wrote to you")
    assert "Supporter 0, member, ver.di (Germany)" in first.get_content().replace("\r\n", "\n")
    assert "Supporter 36" in first.get_content().replace("\r\n", "\n")
    assert second["Subject"].startswith("Today 3 people wrote to you")
    assert "Supporter 0 " not in second.get_content().replace("\r\n", "\n")
    sent = sent_letters("letter-digest")
    assert [t.astimezone(BERLIN).date().day for t in sent] == [2, 3]
    assert all(t.astimezone(BERLIN).time() >= time(9, 0) for t in sent)
    assert OutgoingMessage.objects.filter(kind="letter").count() == 0


def test_a_second_digest_run_on_the_same_day_sends_nothing(smtp_server):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST)
    confirmed_letter(action)
    assert sending.send_digests() == 1
    confirmed_letter(action, email="late@example.net")
    assert sending.send_digests() == 0
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 1


def test_pausing_stops_at_once_and_resuming_continues_where_it_stopped(smtp_server):
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, emails=["m@example.org"])
    action = letter_action(fixed=[ministry], max_per_hour=60)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(start, tick=False):
        for n in range(30):
            confirmed_letter(action, email=f"s{n}@example.net", name=f"Supporter {n}")
    run_minutes(start, 10)
    sent_before = len(smtp_server.to("m@example.org"))
    assert 6 <= sent_before <= 15

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        action.pause()
    run_minutes(start + timedelta(minutes=10), 120)
    assert len(smtp_server.to("m@example.org")) == sent_before  # nothing while paused

    with time_machine.travel(start + timedelta(hours=3), tick=False):
        action.resume()
    run_minutes(start + timedelta(hours=3), 60)
    received = smtp_server.to("m@example.org")
    assert len(received) == 30
    # Each letter once, in the order the supporters wrote.
    names = [m["From"].addresses[0].display_name for m in received]
    assert names == [f"Supporter {n}" for n in range(30)]


def test_nothing_is_sent_to_a_bouncing_target():
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY, emails=["gone@example.org"])
    action = letter_action(fixed=[ministry])
    from picketline.mail.models import BOUNCE_LIMIT, AddressHealth

    for _ in range(BOUNCE_LIMIT):
        AddressHealth.record_hard_failure("gone@example.org")
    assert ministry.addresses.get().bouncing
    assert action.targets_for("DE") == []
