"""The door of an event: search by name, entry codes (QR) scanned or typed, undo, and who may."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import ensure_roles
from picketline.events.models import Registration
from picketline.supporters.models import Supporter
from tests.events.helpers import confirmed_registration, messages_to, street_action
from tests.events.test_organise import logged_in

pytestmark = pytest.mark.django_db

DESK = "/en/events/organise/berlin/check-in/"


@pytest.fixture
def event():
    event = street_action(registration_required=True, capacity=2)
    for email, name in (("ales@example.org", "Aleś Bialiacki"), ("nina@example.org", "Nina K")):
        Supporter.get_or_create_for_email(email, name=name)
        confirmed_registration(event, email)
    confirmed_registration(event, "late@example.org")  # waitlisted: the event is full
    return event


def registration(email: str) -> Registration:
    (found,) = [r for r in Registration.objects.all() if r.supporter.email == email]
    return found


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.fixture
def door() -> Client:
    return logged_in("check_in_registrants")


def test_it_finds_a_registrant_by_any_part_of_the_name_without_accents(event, door):
    page = door.get(DESK, {"q": "ales"}).content.decode()
    assert "Aleś Bialiacki" in page and "Nina K" not in page
    assert "ales@example.org" not in page  # the door sees names, never addresses
    assert AuditEntry.objects.filter(action="list", what__contains="names").count() == 1


def test_without_a_search_it_shows_no_names(event, door):
    page = door.get(DESK).content.decode()
    assert "Aleś" not in page and "Nina" not in page
    assert "0 of 2 with a place have arrived." in page
    assert not AuditEntry.objects.exists()


def test_it_finds_only_people_with_a_place(event, door):
    page = door.get(DESK, {"q": "late"}).content.decode()
    assert "Nobody with a place is called “late”." in page


def test_checking_in_from_the_search_records_who_and_when_and_can_be_undone(event, door):
    ales = registration("ales@example.org")
    response = door.post(f"{DESK}{ales.pk}/", {"back": "desk", "q": "ales"})
    assert response.status_code == 302 and response["Location"] == f"{DESK}?q=ales"
    ales.refresh_from_db()
    assert ales.checked_in_at is not None and ales.checked_in_by.is_staff
    page = door.get(DESK, {"q": "ales"}).content.decode()
    assert "1 of 2 with a place have arrived." in page and "Undo" in page
    door.post(f"{DESK}{ales.pk}/undo/", {"back": "desk", "q": "ales"})
    ales.refresh_from_db()
    assert ales.checked_in_at is None and ales.checked_in_by is None


def test_a_scanned_code_checks_in_once_and_then_says_since_when(event, door):
    ales = registration("ales@example.org")
    first = door.post(f"{DESK}scan/", {"code": ales.check_in_url()})
    assert first.status_code == 200
    assert "Checked in" in first.content.decode() and "Aleś Bialiacki" in first.content.decode()
    ales.refresh_from_db()
    local = ales.checked_in_at.astimezone(event.zone).strftime("%H:%M")
    again = door.post(f"{DESK}scan/", {"code": ales.check_in_code()})
    assert again.status_code == 200
    assert "Already checked in" in again.content.decode()
    assert f"at {local}" in again.content.decode()
    assert AuditEntry.objects.filter(action="view", what=f"registration {ales.pk}").count() == 2


def test_a_code_of_another_event_is_refused(event, door):
    other = street_action(slug="vienna", title_en="Vienna vigil", registration_required=True)
    stranger = confirmed_registration(other, "stranger@example.org")
    response = door.post(f"{DESK}scan/", {"code": stranger.check_in_url()})
    assert response.status_code == 400
    assert "This code is for “Vienna vigil”." in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_a_code_of_a_cancelled_or_waiting_registration_is_refused(event, door):
    nina = registration("nina@example.org")
    nina.cancel()
    response = door.post(f"{DESK}scan/", {"code": nina.check_in_code()})
    assert response.status_code == 400
    assert "not valid for entry: cancelled" in response.content.decode()
    late = registration("late@example.org")
    assert late.status in (Registration.Status.WAITLISTED, Registration.Status.OFFERED)


def test_a_forged_code_is_refused(event, door):
    ales = registration("ales@example.org")
    forged = ales.check_in_code()[:-2] + "xx"
    response = door.post(f"{DESK}scan/", {"code": forged})
    assert response.status_code == 400 and "Unknown code." in response.content.decode()


def test_the_code_holds_neither_name_nor_address(event):
    ales = registration("ales@example.org")
    url = ales.check_in_url()
    assert "/en/events/organise/berlin/check-in/code/" in url
    for secret in ("Ale", "ales@", "example.org", ales.token()):
        assert secret not in url.split("/code/", 1)[1]


def test_a_phone_camera_opens_a_page_that_checks_in_only_with_the_button(event, door):
    ales = registration("ales@example.org")
    page = door.get(path_of(ales.check_in_url()))
    assert page.status_code == 200 and "Aleś Bialiacki" in page.content.decode()
    ales.refresh_from_db()
    assert ales.checked_in_at is None  # a GET changes nothing


def test_the_camera_s_page_names_only_a_seat_holder(event, door):
    nina = registration("nina@example.org")
    nina.supporter.name = "Nina Kowalska"
    nina.supporter.save()
    late = registration("late@example.org")
    late.supporter.name = "Lately Waiting"
    late.supporter.save()
    nina.cancel()

    for who, name in ((nina, "Nina Kowalska"), (late, "Lately Waiting")):
        page = door.get(path_of(who.check_in_url()))
        assert page.status_code == 200
        assert name not in page.content.decode()
        assert not AuditEntry.objects.filter(what=f"registration {who.pk}").exists()


def test_the_page_may_use_the_camera_and_no_other_page_may(event, door):
    assert "camera=(self)" in door.get(DESK)["Permissions-Policy"]
    assert "camera=()" in Client().get("/en/events/")["Permissions-Policy"]


def test_the_registrant_s_page_shows_the_entry_code_to_a_seat_holder_only(event, client):
    ales = registration("ales@example.org")
    page = client.get(f"/en/events/r/{ales.token()}/").content.decode()
    assert "Your entry code" in page
    # A PNG: Tor Browser's safest mode would show no SVG, and so no way in at the door.
    (encoded,) = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert base64.b64decode(encoded).startswith(b"\x89PNG\r\n")
    late = registration("late@example.org")
    assert "Your entry code" not in client.get(f"/en/events/r/{late.token()}/").content.decode()


def test_the_seat_mail_carries_the_entry_code(event):
    (mail,) = messages_to("ales@example.org", "event-seat-given")
    (code,) = [a for a in mail.attachment_list() if a.filename == "entry-code.png"]
    assert code.mimetype == "image/png" and code.content.startswith(b"\x89PNG")
    assert "show the attached QR code (entry-code.png)" in mail.body_text


def test_an_online_meeting_has_no_entry_code(client):
    from tests.events.helpers import online_meeting

    meeting = online_meeting()
    seated = confirmed_registration(meeting, "online@example.org")
    assert not seated.has_entry_code
    (mail,) = messages_to("online@example.org", "event-seat-given")
    assert not [a for a in mail.attachment_list() if a.filename == "entry-code.png"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("viewer", False), ("moderator", False), ("organiser", True), ("administrator", True)],
)
def test_each_role_at_the_door(event, role, allowed):
    ensure_roles()
    user = User.objects.create_user(f"door-{role}", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    assert client.get(DESK, {"q": "ales"}).status_code == (200 if allowed else 403)
    ales = registration("ales@example.org")
    scanned = client.post(f"{DESK}scan/", {"code": ales.check_in_code()})
    assert scanned.status_code == (200 if allowed else 403)
    assert client.get(path_of(ales.check_in_url())).status_code == (200 if allowed else 403)


def test_staff_without_the_permission_are_refused(event):
    client = logged_in("view_registration")
    assert client.get(DESK).status_code == 403
    ales = registration("ales@example.org")
    assert client.post(f"{DESK}{ales.pk}/undo/").status_code == 403
    assert client.post(f"{DESK}scan/", {"code": ales.check_in_code()}).status_code == 403


def test_anonymous_visitors_go_to_the_login(event):
    response = Client().get(DESK)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_get_does_not_scan_or_undo(event, door):
    ales = registration("ales@example.org")
    assert door.get(f"{DESK}scan/").status_code == 405
    assert door.get(f"{DESK}{ales.pk}/undo/").status_code == 405


def test_the_reminder_carries_the_entry_code_and_the_change_mail_points_to_the_page(event):
    from picketline.events import mails

    ales = registration("ales@example.org")
    mails.reminder(ales)
    mails.event_changed(ales)
    (reminder,) = messages_to("ales@example.org", "event-reminder")
    assert [a.filename for a in reminder.attachment_list()].count("entry-code.png") == 1
    (changed,) = messages_to("ales@example.org", "event-event-changed")
    assert "entry-code.png" not in [a.filename for a in changed.attachment_list()]
    assert "show the QR code on your page at the entrance." in changed.body_text
