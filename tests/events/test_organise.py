from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from picketline.accounts.models import AuditEntry
from picketline.events.models import Registration
from tests.events.helpers import confirmed_registration, messages_to, online_meeting

pytestmark = pytest.mark.django_db


def user_with(*codenames: str) -> User:
    user = User.objects.create_user(f"u{User.objects.count()}", password="x" * 12, is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def logged_in(*codenames: str) -> Client:
    client = Client()
    client.force_login(user_with(*codenames))
    return client


@pytest.fixture
def event():
    event = online_meeting(capacity=1)
    confirmed_registration(event, "ana@example.org", organisation="Union of Ana")
    confirmed_registration(event, "bob@example.org")
    return event


def test_it_sends_anonymous_visitors_to_the_login(event):
    response = Client().get("/en/events/organise/meeting/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_refuses_staff_without_a_verified_second_factor(event):
    user = user_with("view_registration")
    client = Client()
    assert client.login(username=user.username, password="x" * 12)  # password only
    assert client.get("/en/events/organise/meeting/").status_code == 403


def test_it_refuses_staff_without_the_permission(event):
    assert logged_in().get("/en/events/organise/meeting/").status_code == 403
    assert logged_in().get("/en/events/organise/meeting/counts.json").status_code == 403


def test_it_shows_a_viewer_the_list_without_personal_data(event):
    page = logged_in("view_registration").get("/en/events/organise/meeting/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "has a seat" in text and "on the waitlist" in text
    assert "ana@example.org" not in text and "Union of Ana" not in text
    assert "Export as CSV" not in text
    assert AuditEntry.objects.count() == 0


def test_it_shows_personal_data_with_the_permission_and_audits_it(event):
    page = logged_in("view_registration", "see_registrant_details").get(
        "/en/events/organise/meeting/"
    )
    text = page.content.decode()
    assert "ana@example.org" in text and "Union of Ana" in text
    (entry,) = AuditEntry.objects.all()
    assert entry.action == AuditEntry.Action.LIST and f"event {event.pk}" in entry.what


def test_it_exports_csv_only_with_both_permissions_and_audits_it(event):
    assert (
        logged_in("view_registration", "export_registrations")
        .get("/en/events/organise/meeting/export.csv")
        .status_code
        == 403
    )
    client = logged_in("view_registration", "export_registrations", "see_registrant_details")
    response = client.get("/en/events/organise/meeting/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["E-mail"] for r in rows] == ["ana@example.org", "bob@example.org"]
    assert rows[0]["Status"] == "has a seat" and rows[1]["Status"] == "on the waitlist"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_the_export_speaks_the_organisers_language_and_reads_the_events_clocks(event):
    ana = event.registrations.get(status=Registration.Status.CONFIRMED)
    ana.created_at = datetime(2030, 1, 10, 11, 5, tzinfo=UTC)  # 12:05 in Brussels, in winter
    ana.checked_in_at = datetime(2030, 4, 19, 7, 41, tzinfo=UTC)  # 09:41 in Brussels
    ana.save(update_fields=["created_at", "checked_in_at"])
    client = logged_in("view_registration", "export_registrations", "see_registrant_details")
    response = client.get("/ru/events/organise/meeting/export.csv")
    heading, first, second = csv.reader(io.StringIO(response.content.decode()))
    assert heading[:3] == ["Статус", "Место", "Имя"]
    assert heading[-1] == "Отмечен(а) (время: Брюссель, UTC+2)"
    assert first[0] == "есть место" and second[0] == "в листе ожидания"
    assert first[-2:] == ["2030-01-10T12:05+01:00", "2030-04-19T09:41+02:00"]


def test_it_neutralises_formulas_in_the_export():
    event = online_meeting()
    confirmed_registration(event, "eve@example.org", organisation="=HYPERLINK(1)")
    client = logged_in("view_registration", "export_registrations", "see_registrant_details")
    body = client.get("/en/events/organise/meeting/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_it_checks_people_in(event):
    ana = event.registrations.get(status=Registration.Status.CONFIRMED)
    client = logged_in("view_registration", "check_in_registrants")
    assert client.get(f"/en/events/organise/meeting/check-in/{ana.pk}/").status_code == 405
    response = client.post(f"/en/events/organise/meeting/check-in/{ana.pk}/")
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.checked_in_at is not None
    counts = client.get("/en/events/organise/meeting/counts.json").json()
    assert counts == {
        "confirmed": 1,
        "offered": 0,
        "waitlisted": 1,
        "pending": 0,
        "cancelled": 0,
        "checked_in": 1,
        "capacity": 1,
        "free": 0,
    }


def test_it_refuses_check_in_without_the_permission(event):
    ana = event.registrations.get(status=Registration.Status.CONFIRMED)
    client = logged_in("view_registration")
    assert client.post(f"/en/events/organise/meeting/check-in/{ana.pk}/").status_code == 403


def test_it_writes_to_every_registrant(event):
    client = logged_in("view_registration", "message_registrants")
    assert "2 recipients" in client.get("/en/events/organise/meeting/message/").content.decode()
    response = client.post(
        "/en/events/organise/meeting/message/",
        {"subject": "Change of speakers", "text": "We have a new speaker."},
    )
    assert response.status_code == 302
    for address in ("ana@example.org", "bob@example.org"):
        (mail,) = messages_to(address, "event-organiser-message")
        assert mail.subject == "Change of speakers"
        assert "We have a new speaker." in mail.body_text


def test_reloading_the_page_that_says_it_was_sent_sends_nothing_again(event):
    client = logged_in("view_registration", "message_registrants")
    message = {"subject": "Change of speakers", "text": "We have a new speaker."}
    done = client.post("/en/events/organise/meeting/message/", message, follow=True)
    assert "The message goes to 2 registrants." in done.content.decode()
    (last_url, _status), *_ = reversed(done.redirect_chain)
    again = client.get(last_url)  # what a reload does
    assert "The message goes to 2 registrants." in again.content.decode()
    assert len(messages_to("ana@example.org", "event-organiser-message")) == 1


def test_it_404s_for_an_unknown_event():
    assert logged_in("view_registration").get("/en/events/organise/nope/").status_code == 404


def test_moving_an_event_in_the_admin_tells_the_registrants(event):
    admin = User.objects.create_superuser("boss", password="x" * 12)
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value
    data["starts_at_0"], data["starts_at_1"] = "2030-04-19", "12:00:00"
    data["ends_at_0"], data["ends_at_1"] = "2030-04-19", "13:00:00"
    for name in ("registration_opens_at", "registration_closes_at"):
        data.pop(name, None)
    data.pop("starts_at")
    data.pop("ends_at")
    data["campaign"] = ""
    response = client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.sequence == 1
    assert len(messages_to("ana@example.org", "event-event-changed")) == 1
    assert len(messages_to("bob@example.org", "event-event-changed")) == 1


def test_the_admin_links_each_event_to_its_registrants(event):
    admin = User.objects.create_superuser("boss", password="x" * 12)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/events/event/").content.decode()
    assert 'href="/en/events/organise/meeting/"' in page


@pytest.mark.parametrize(
    ("role", "sees_people"), [("viewer", False), ("moderator", False), ("organiser", True)]
)
def test_the_roles_see_what_they_should(event, role, sees_people):
    from django.contrib.auth.models import Group

    from picketline.accounts.roles import ensure_roles

    ensure_roles()
    user = User.objects.create_user(f"r-{role}", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    page = client.get("/en/events/organise/meeting/")
    assert page.status_code == 200
    assert ("ana@example.org" in page.content.decode()) is sees_people
    export = client.get("/en/events/organise/meeting/export.csv")
    assert export.status_code == (200 if sees_people else 403)


def test_each_registrant_gets_the_message_in_their_language(event):
    confirmed_registration(event, "dima@example.org", language="ru")
    confirmed_registration(event, "eva@example.org", language="de")
    client = logged_in("view_registration", "message_registrants")
    page = client.get("/en/events/organise/meeting/message/").content.decode()
    assert "Russian: 1 reader" in page and "English: 2 readers" in page
    response = client.post(
        "/en/events/organise/meeting/message/",
        {
            "subject": "New room",
            "text": "We meet in room 2.",
            "subject_ru": "Новый зал",
            "text_ru": "Встречаемся в зале 2.",
        },
    )
    assert response.status_code == 302
    (russian,) = messages_to("dima@example.org", "event-organiser-message")
    assert russian.subject == "Новый зал" and "Встречаемся в зале 2." in russian.body_text
    (german,) = messages_to("eva@example.org", "event-organiser-message")  # no German version
    assert german.subject == "New room" and "We meet in room 2." in german.body_text
    (english,) = messages_to("ana@example.org", "event-organiser-message")
    assert english.subject == "New room"


def test_a_language_version_needs_both_subject_and_text(event):
    client = logged_in("view_registration", "message_registrants")
    response = client.post(
        "/en/events/organise/meeting/message/",
        {"subject": "New room", "text": "Room 2.", "subject_de": "Neuer Raum"},
    )
    assert response.status_code == 200
    assert "Write the message too, or leave both empty." in response.content.decode()
    assert messages_to("ana@example.org", "event-organiser-message") == []


def test_the_times_people_came_in_are_headed_with_the_events_zone(event):
    page = logged_in("view_registration").get("/ru/events/organise/meeting/")
    assert "Отмечен(а) (время: Брюссель, UTC+2)" in page.content.decode()
