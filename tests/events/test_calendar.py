from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from icalendar import Calendar

from picketline.events import calendar
from tests.events.helpers import JOIN_URL, online_meeting, street_action

pytestmark = pytest.mark.django_db


def only_event(data: bytes):
    parsed = Calendar.from_ical(data)
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    return parsed, events[0]


def test_it_offers_a_calendar_file_with_the_right_instant_in_utc(client: Client):
    street_action()
    response = client.get("/en/events/berlin/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="berlin.ics"' in response["Content-Disposition"]
    _, item = only_event(response.content)
    assert item.decoded("dtstart") == datetime(2030, 4, 19, 10, 30, tzinfo=UTC)
    assert item.decoded("dtend") == datetime(2030, 4, 19, 11, 30, tzinfo=UTC)
    assert str(item["summary"]) == "Protest in Berlin"
    assert "10117 Berlin" in str(item["location"])
    assert str(item["uid"]).startswith("event-")


def test_it_never_puts_the_join_link_in_the_public_file(client: Client):
    online_meeting()
    response = client.get("/en/events/meeting/calendar.ics")
    assert JOIN_URL.encode() not in response.content


def test_it_puts_a_private_note_only_where_asked():
    event = online_meeting()
    _, item = only_event(calendar.ics_bytes(event, private_note=f"Join: {JOIN_URL}"))
    assert JOIN_URL in str(item["description"])


def test_it_keeps_the_uid_and_raises_the_sequence_when_the_event_moves():
    event = online_meeting()
    _, before = only_event(calendar.ics_bytes(event))
    event.sequence += 1
    event.save()
    _, after = only_event(calendar.ics_bytes(event))
    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) == int(before["sequence"]) + 1


def test_it_links_google_and_outlook_with_utc_times_and_no_join_link():
    event = online_meeting()
    google = calendar.google_calendar_url(event)
    outlook = calendar.outlook_calendar_url(event)
    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert "dates=20300419T073000Z%2F20300419T090000Z" in google
    assert outlook.startswith("https://outlook.live.com/calendar/")
    assert "2030-04-19T07%3A30%3A00%2B00%3A00" in outlook
    assert "secret-room" not in google + outlook
