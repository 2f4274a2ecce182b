"""The admin shows and takes an event's times in the event's own zone, not in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from picketline.events.models import Event, HostedAction
from tests.events.helpers import confirmed_registration, online_meeting
from tests.events.test_hosted import hosted

pytestmark = pytest.mark.django_db

LOCAL = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class Boxes(HTMLParser):
    """The attributes of every input of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "input":
            self.found.append(dict(attrs))

    @classmethod
    def of(cls, html: str) -> list[dict]:
        boxes = cls()
        boxes.feed(html)
        return boxes.found


@pytest.fixture
def boss() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("boss", password="x" * 12))
    return client


def change_data(client: Client, url: str) -> dict:
    """What the change form posts back untouched."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    for name in list(data):
        if isinstance(data[name], datetime):
            moment = data.pop(name)
            data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
    return data


def post_times(client: Client, event: Event, start: str, end: str, **extra: str):
    url = f"/admin/events/event/{event.pk}/change/"
    data = change_data(client, url)
    data["starts_at_0"], data["starts_at_1"] = start.split()
    data["ends_at_0"], data["ends_at_1"] = end.split()
    data["campaign"] = ""
    data.update(extra)
    return client.post(url, data)


def test_the_change_form_shows_the_times_of_the_event_s_zone(boss: Client):
    event = online_meeting()  # 09:30 in Brussels, 07:30 UTC (summer time)
    page = boss.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'value="09:30:00"' in page and 'value="07:30:00"' not in page
    assert "Starts at (Europe/Brussels time)" in page


def test_the_date_and_the_time_box_of_each_moment_are_named(boss: Client):
    event = online_meeting()
    page = boss.get(f"/admin/events/event/{event.pk}/change/", HTTP_ACCEPT_LANGUAGE="ru")
    boxes = {box.get("id"): box.get("aria-label") for box in Boxes.of(page.content.decode())}
    assert boxes["id_starts_at_0"].endswith(": дата") and boxes["id_starts_at_1"].endswith(
        ": время"
    )
    assert "Europe/Brussels" in boxes["id_ends_at_1"]
    assert all(boxes[f"id_{name}_{part}"] for name in LOCAL for part in (0, 1))


@pytest.mark.parametrize(
    ("day", "utc_hour"), [("2030-01-15", 8), ("2030-07-15", 7)], ids=["winter", "summer"]
)
def test_typing_09_30_for_brussels_stores_the_brussels_time(boss: Client, day, utc_hour):
    event = online_meeting()
    response = post_times(boss, event, f"{day} 09:30:00", f"{day} 11:00:00")
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.starts_at == datetime(*map(int, day.split("-")), utc_hour, 30, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused(boss: Client):
    event = online_meeting()
    # 2030-03-31: Brussels goes from 02:00 straight to 03:00.
    response = post_times(boss, event, "2030-03-31 02:30:00", "2030-03-31 04:00:00")
    assert response.status_code == 200
    assert "does not exist in Europe/Brussels" in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at == datetime(2030, 4, 19, 7, 30, tzinfo=UTC)


def test_a_time_that_happens_twice_is_refused(boss: Client):
    event = online_meeting()
    # 2030-10-27: Brussels goes back from 03:00 to 02:00.
    response = post_times(boss, event, "2030-10-27 01:00:00", "2030-10-27 02:30:00")
    assert response.status_code == 200
    assert "happens twice in Europe/Brussels" in response.content.decode()


def test_a_new_zone_reads_the_typed_time_in_that_zone(boss: Client):
    event = online_meeting()
    response = post_times(
        boss, event, "2030-01-15 09:30:00", "2030-01-15 11:00:00", time_zone="Europe/Helsinki"
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == datetime(2030, 1, 15, 7, 30, tzinfo=UTC)


def test_the_list_shows_local_start_times(boss: Client):
    online_meeting()
    page = boss.get("/admin/events/event/").content.decode()
    assert "2030-04-19 09:30 (Europe/Brussels)" in page


def test_hosted_actions_are_listed_and_edited_in_their_own_zone(boss: Client):
    action = hosted()  # 12:00 in Vilnius, 09:00 UTC
    page = boss.get("/admin/events/hostedaction/").content.decode()
    assert "2030-04-19 12:00 (Europe/Vilnius)" in page
    url = f"/admin/events/hostedaction/{action.pk}/change/"
    assert 'value="12:00:00"' in boss.get(url).content.decode()
    data = change_data(boss, url)
    data["starts_at_0"], data["starts_at_1"] = "2030-04-19", "13:00:00"
    data["ends_at_0"], data["ends_at_1"] = "2030-04-19", "14:00:00"
    response = boss.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    action = HostedAction.objects.get(pk=action.pk)
    assert action.starts_at == datetime(2030, 4, 19, 10, tzinfo=UTC)


def test_a_new_event_reads_the_typed_time_in_the_zone_chosen_with_it(boss: Client):
    data = change_data(boss, "/admin/events/event/add/")
    data.update(
        {
            "slug": "brussels-meeting",
            "title_en": "Meeting in Brussels",
            "kind": "in_person",
            "time_zone": "Europe/Brussels",
            "starts_at_0": "2030-01-15",
            "starts_at_1": "09:30:00",
            "ends_at_0": "2030-01-15",
            "ends_at_1": "11:00:00",
            "campaign": "",
        }
    )
    response = boss.post("/admin/events/event/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="brussels-meeting")
    assert event.starts_at == datetime(2030, 1, 15, 8, 30, tzinfo=UTC)


def test_a_registration_s_moments_are_read_on_the_event_s_clocks(boss: Client):
    event = online_meeting()
    registration = confirmed_registration(event, "ana@example.org")
    registration.checked_in_at = datetime(2030, 4, 19, 7, 41, tzinfo=UTC)
    registration.save(update_fields=["checked_in_at"])
    listing = boss.get("/admin/events/registration/").content.decode()
    assert "2030-04-19 09:41 (Europe/Brussels)" in listing
    page = boss.get(f"/admin/events/registration/{registration.pk}/change/").content.decode()
    assert "2030-04-19 09:41 (Europe/Brussels)" in page


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "Europe/"])
def test_an_unknown_time_zone_is_refused_with_a_message(boss: Client, zone):
    event = online_meeting()
    response = post_times(boss, event, "2030-04-19 09:30:00", "2030-04-19 11:00:00", time_zone=zone)
    assert response.status_code == 200
    assert "Unknown time zone" in response.content.decode()
    event.refresh_from_db()
    assert event.time_zone == "Europe/Brussels"
