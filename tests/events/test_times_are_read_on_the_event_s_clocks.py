"""Every page and mail shows an event's (or a proposed action's) time on the clocks of its own
zone, written the one way the event page writes it, the zone named in the reader's language;
the site's own zone (UTC) never leaks in. Django's ``date`` filter turns an aware date-time
into the site's zone first: "8:30 (Europe/Brussels)" for a meeting at 09:30 in Brussels."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from picketline.events.models import Registration
from tests.events.helpers import BRUSSELS, confirmed_registration, hosted_action, online_meeting
from tests.events.test_hosted import organiser
from tests.events.test_organise import logged_in

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
# In December Brussels is UTC+1: 09:30 there is 08:30 UTC.
WINTER_MEETING = {
    "starts_at": datetime(2026, 12, 11, 9, 30, tzinfo=BRUSSELS),
    "ends_at": datetime(2026, 12, 11, 11, 0, tzinfo=BRUSSELS),
}
ZONE_NAMED = {
    "en": "(Brussels time, UTC+1)",
    "ru": "(время: Брюссель, UTC+1)",
    "be": "(час: Брусель, UTC+1)",
    "de": "(Ortszeit Brüssel, UTC+1)",
}


def visible_text(response) -> str:
    """What a reader sees: no markup, no attributes (the script's data-zone stays there)."""
    body = response.content.decode().split("<main", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(autouse=True)
def site_in_utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_page_after_confirming_shows_the_meeting_at_its_own_time(client: Client, language):
    online_meeting(**WINTER_MEETING)
    page = visible_text(client.get(f"/{language}/events/meeting/confirmed/"))
    assert "09:30–11:00" in page
    assert "8:30" not in page
    assert ZONE_NAMED[language] in page
    assert "Europe/Brussels" not in page and "CET" not in page


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_page_after_confirming_writes_the_time_as_the_event_page_does(client, language):
    online_meeting(**WINTER_MEETING)
    when = re.compile(r'<span class="event-when">.*?</span></span>', re.S)
    event_page = client.get(f"/{language}/events/meeting/").content.decode()
    confirmed = client.get(f"/{language}/events/meeting/confirmed/").content.decode()
    assert when.findall(confirmed) == when.findall(event_page)[:1]


def test_the_registrants_list_shows_check_in_times_on_the_event_s_clocks():
    event = online_meeting(**WINTER_MEETING)
    confirmed_registration(event, "ana@example.org")
    event.registrations.filter(status=Registration.Status.CONFIRMED).update(
        checked_in_at=datetime(2026, 12, 11, 9, 5, tzinfo=BRUSSELS)
    )
    client = logged_in("view_registration", "check_in_registrants")
    page = visible_text(client.get("/en/events/organise/meeting/"))
    assert "09:05" in page and "08:05" not in page


def test_the_queue_of_proposed_actions_shows_them_on_their_own_clocks():
    hosted_action(
        starts_at=datetime(2030, 6, 1, 17, 0, tzinfo=BERLIN),
        ends_at=datetime(2030, 6, 1, 18, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
        confirmed_at=datetime(2030, 5, 1, tzinfo=UTC),
    )
    page = visible_text(organiser().get("/en/events/organise/hosted/"))
    assert "1 June 2030, 17:00 (Berlin time, UTC+2)" in page
    assert "15:00" not in page
