"""The privacy page shows each time on the clocks of a zone it names: a proposed action's start
and end on its own square's clocks (as the host typed them), every other moment (first seen,
consents, mails) in UTC, said so; a day as the reader's language writes it. The download keeps
ISO 8601 with its offset."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter
from tests.events.helpers import hosted_action
from tests.submissions.helpers import make_report

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
# 15:00 UTC: what the page showed for every moment, with no zone named.
FIRST_SEEN = datetime(2026, 5, 4, 15, 0, tzinfo=ZoneInfo("UTC"))


def open_privacy_page(client, supporter: Supporter, language: str) -> str:
    token = flow.privacy_token(supporter)
    assert client.post(reverse("supporters:privacy_open", args=[token])).status_code == 302
    page = client.get(f"/{language}/me/privacy/mine/").content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def host(settings) -> Supporter:
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(FIRST_SEEN, tick=False):
        action = hosted_action(
            host_email="host@example.org",
            starts_at=datetime(2026, 6, 1, 17, 0, tzinfo=BERLIN),
            ends_at=datetime(2026, 6, 1, 18, 30, tzinfo=BERLIN),
            time_zone="Europe/Berlin",
        )
        Consent.record(
            action.supporter,
            Consent.Purpose.ORGANISER_UPDATES,
            "Keep me informed",
            "en",
            "/",
            action=action,
        )
        make_report(supporter=action.supporter, happened_on=date(2026, 12, 1))
    return action.supporter


def test_it_shows_a_proposed_action_on_its_own_clocks_in_english(client, host):
    page = open_privacy_page(client, host, "en")
    assert "1 June 2026, 17:00 (Berlin time, UTC+2)" in page
    assert "1 June 2026, 18:30 (Berlin time, UTC+2)" in page
    assert "16:00" not in page and "15:00 (Berlin" not in page


def test_it_names_utc_beside_every_other_moment_in_english(client, host):
    page = open_privacy_page(client, host, "en")
    assert "First seen 4 May 2026, 15:00 (UTC)" in page
    assert "Given 4 May 2026, 15:00 (UTC)" in page
    assert re.search(r"Picket at the embassy.* Date 1 December 2026 Country", page)


def test_it_shows_the_same_in_russian(client, host):
    page = open_privacy_page(client, host, "ru")
    assert "1 июня 2026, 17:00 (время: Берлин, UTC+2)" in page
    assert "1 июня 2026, 18:30 (время: Берлин, UTC+2)" in page
    assert "4 мая 2026, 15:00 (UTC)" in page
    assert "Дата 1 декабря 2026" in page and "2026-12-01" not in page
    assert "16:00" not in page


def test_the_download_keeps_iso_moments_with_their_offset(client, host):
    open_privacy_page(client, host, "en")
    data = json.loads(client.get("/en/me/privacy/mine/my-data.json").content)
    hosted = next(a for a in data["actions"] if "starts_at" in a.get("data", a))
    held = hosted.get("data", hosted)
    assert datetime.fromisoformat(held["starts_at"]) == datetime(2026, 6, 1, 17, 0, tzinfo=BERLIN)
    assert held["time_zone"] == "Europe/Berlin"
