"""Reminders with a fake clock: each once, none to people who cancelled, and they follow the
event when the organiser moves it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from picketline.events.jobs import send_due_reminders
from picketline.events.models import Registration
from tests.events.helpers import (
    BRUSSELS,
    JOIN_URL,
    confirmed_registration,
    messages_to,
    online_meeting,
)

pytestmark = pytest.mark.django_db

START = datetime(2030, 4, 19, 9, 30, tzinfo=BRUSSELS)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def event():
    with at(START - timedelta(days=10)):
        return online_meeting(starts_at=START, ends_at=START + timedelta(minutes=90))


def register(event, email: str, **fields) -> Registration:
    with at(START - timedelta(days=9)):
        return confirmed_registration(event, email, **fields)


def run_jobs_at(moment: datetime) -> int:
    with at(moment):
        return send_due_reminders()


def test_it_sends_each_reminder_once_at_its_time(event):
    register(event, "a@example.org", time_zone="Asia/Tokyo")
    assert run_jobs_at(START - timedelta(hours=25)) == 0
    assert run_jobs_at(START - timedelta(hours=24)) == 1
    assert run_jobs_at(START - timedelta(hours=23)) == 0  # already sent
    assert run_jobs_at(START - timedelta(minutes=61)) == 0
    assert run_jobs_at(START - timedelta(minutes=60)) == 1
    assert run_jobs_at(START - timedelta(minutes=30)) == 0
    assert run_jobs_at(START + timedelta(minutes=1)) == 0
    reminders = messages_to("a@example.org", "event-reminder")
    assert len(reminders) == 2
    first = reminders[0]
    # time in the registrant's zone, the join link, and the calendar file again
    assert "16:30" in first.body_text and "(Tokyo time, UTC+9)" in first.body_text
    assert JOIN_URL in first.body_text
    (ics,) = first.attachment_list()
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0].decoded("dtstart") == START


def test_it_sends_nothing_to_people_who_cancelled_or_wait(event):
    event.capacity = 1
    event.save()
    keeps = register(event, "keeps@example.org")
    waits = register(event, "waits@example.org")
    assert waits.status == Registration.Status.WAITLISTED
    leaves = register(event, "leaves@example.org")
    with at(START - timedelta(days=5)):
        leaves.cancel()
    run_jobs_at(START - timedelta(hours=24))
    run_jobs_at(START - timedelta(hours=1))
    assert len(messages_to(keeps.supporter.email, "event-reminder")) == 2
    assert messages_to("leaves@example.org", "event-reminder") == []


def test_it_skips_a_reminder_whose_time_passed_before_the_seat_was_given(event):
    with at(START - timedelta(hours=3)):
        confirmed_registration(event, "late@example.org")
    assert run_jobs_at(START - timedelta(hours=2)) == 0
    assert run_jobs_at(START - timedelta(hours=1)) == 1


def test_it_sends_only_the_latest_due_reminder_after_an_outage(event):
    register(event, "a@example.org")
    assert run_jobs_at(START - timedelta(minutes=30)) == 1
    (reminder,) = messages_to("a@example.org", "event-reminder")


def test_the_reminders_move_with_the_event(event):
    register(event, "a@example.org")
    later = START + timedelta(days=7)
    with at(START - timedelta(days=3)):
        event.starts_at, event.ends_at = later, later + timedelta(minutes=90)
        event.save()
        assert event.announce_change() == 1
    assert run_jobs_at(START - timedelta(hours=24)) == 0  # nothing at the old time
    assert run_jobs_at(later - timedelta(hours=24)) == 1
    (reminder,) = messages_to("a@example.org", "event-reminder")
    ics = Calendar.from_ical(reminder.attachment_list()[0].content).walk("VEVENT")[0]
    assert ics.decoded("dtstart") == later
    assert int(ics["sequence"]) == 1


def test_a_moved_event_sends_an_update_with_the_same_uid_and_a_higher_sequence(event):
    registration = register(event, "a@example.org")
    (seat,) = messages_to("a@example.org", "event-seat-given")
    original = Calendar.from_ical(seat.attachment_list()[0].content).walk("VEVENT")[0]
    later = START + timedelta(hours=2)
    event.starts_at, event.ends_at = later, later + timedelta(minutes=90)
    event.save()
    event.announce_change()
    (update,) = messages_to(registration.supporter.email, "event-event-changed")
    moved = Calendar.from_ical(update.attachment_list()[0].content).walk("VEVENT")[0]
    assert moved["uid"] == original["uid"]
    assert int(moved["sequence"]) > int(original["sequence"])
    assert moved.decoded("dtstart") == later
    assert "11:30" in update.body_text


def test_the_worker_knows_the_reminder_and_offer_jobs():
    from picketline.jobs.schedule import load_jobs

    jobs = load_jobs()
    assert jobs["picketline.events.jobs.event_reminders"].interval == timedelta(minutes=5)
    assert "picketline.events.jobs.event_offers" in jobs


def test_an_event_moved_after_its_reminders_reminds_again_for_the_new_time(event):
    register(event, "a@example.org")
    run_jobs_at(START - timedelta(hours=24))
    run_jobs_at(START - timedelta(hours=1))
    later = START + timedelta(days=1)
    with at(START - timedelta(minutes=30)):
        event.starts_at, event.ends_at = later, later + timedelta(minutes=90)
        event.save()
        event.announce_change()
    assert run_jobs_at(later - timedelta(hours=24)) == 1
    assert run_jobs_at(later - timedelta(hours=1)) == 1
    assert len(messages_to("a@example.org", "event-reminder")) == 4
