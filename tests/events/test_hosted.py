from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from picketline.events.models import Event, HostedAction, HostedReport
from picketline.supporters.models import Supporter
from tests.events.helpers import confirmed_registration, link_in, messages_to

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# The actions below take place on 19 April 2030; a report is taken only afterwards.
AFTER_THE_ACTION = datetime(2030, 4, 19, 18, tzinfo=ZoneInfo("UTC"))

PROPOSAL = {
    "title": "Picket at the Belarusian embassy in Warsaw",
    "description": "Bring a sign.",
    "city": "Warsaw",
    "place": "In front of the embassy, ul. Wiertnicza 58",
    "starts_at": "2030-04-19T12:00",
    "ends_at": "2030-04-19T13:00",
    "expected_size": "25",
    "contact": "Signal: +48 600 000 000",
    "name": "Kasia Host",
    "email": "kasia@example.org",
    "language": "en",
    "website": "",
}


def hosted(**overrides) -> HostedAction:
    supporter, _ = Supporter.get_or_create_for_email("host@example.org", name="Host")
    fields = {
        "supporter": supporter,
        "title": "Vigil in Vilnius",
        "country": "LT",
        "city": "Vilnius",
        "place": "At the embassy",
        "latitude": Decimal("54.6872"),
        "longitude": Decimal("25.2797"),
        "starts_at": datetime(2030, 4, 19, 12, tzinfo=ZoneInfo("Europe/Vilnius")),
        "ends_at": datetime(2030, 4, 19, 13, tzinfo=ZoneInfo("Europe/Vilnius")),
        "time_zone": "Europe/Vilnius",
        "expected_size": 10,
        "contact": "+370 600 00000",
    }
    fields.update(overrides)
    action = HostedAction.objects.create(**fields)
    action.confirm()
    return action


def organiser() -> Client:
    user = User.objects.create_user(f"org{User.objects.count()}", password="x" * 12, is_staff=True)
    for codename in (
        "change_hostedaction",
        "change_hostedreport",
        "review_hostedaction",
        "review_hostedreport",
    ):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def test_it_takes_a_proposal_confirmed_by_email(client: Client):
    assert client.get("/en/events/hosted/propose/").status_code == 200
    response = client.post("/en/events/hosted/propose/", PROPOSAL)
    assert response.status_code == 302
    action = HostedAction.objects.get()
    assert action.starts_at == datetime(2030, 4, 19, 12, tzinfo=WARSAW)
    assert action.contact == "Signal: +48 600 000 000"
    assert action.country == "PL"
    assert action.status == HostedAction.Status.PROPOSED
    (confirmation,) = messages_to("kasia@example.org", "confirmation")
    response = client.post(link_in(confirmation, "/confirm/"), follow=True)
    action.refresh_from_db()
    assert action.confirmed_at is not None
    # The page after says what happens next, not that the proposal counts already.
    page = response.content.decode()
    assert "The organisers now review your proposal and write to you." in page
    assert "It counts now" not in page
    # not public until approved
    assert "Warsaw" not in client.get("/en/events/hosted/").content.decode()


def test_it_refuses_an_action_that_ends_before_it_starts(client: Client):
    response = client.post(
        "/en/events/hosted/propose/", {**PROPOSAL, "ends_at": "2030-04-19T11:00"}
    )
    assert response.status_code == 400
    assert HostedAction.objects.count() == 0


def test_organisers_approve_and_the_action_is_listed_by_country_and_on_the_map(client: Client):
    action = hosted()
    hosted(title="Picket in Riga", country="LV", city="Riga", latitude=None, longitude=None)
    queue = organiser().get("/en/events/organise/hosted/").content.decode()
    assert "Vigil in Vilnius" in queue and "+370 600 00000" in queue
    assert organiser().post(f"/en/events/organise/hosted/{action.pk}/approve/").status_code == 302
    action.refresh_from_db()
    assert action.status == HostedAction.Status.APPROVED and action.event.published
    page = client.get("/en/events/hosted/").content.decode()
    assert "Vigil in Vilnius" in page and 'id="country-LT"' in page
    assert "Picket in Riga" not in page  # not approved
    assert '<svg class="world-map"' in page
    # Vilnius at 25.28° E, 54.69° N: x = (25.2797 + 180) * 2, y = (84 - 54.6872) * 2
    assert 'cx="410.6" cy="58.6"' in page
    assert "+370" not in page  # the private contact stays private
    (mail,) = messages_to("host@example.org", "hosted-action-approved")
    assert "/events/hosted/report/" in mail.body_text
    # the campaign's own event list does not mix them in, the event page exists
    assert "Vigil in Vilnius" not in client.get("/en/events/").content.decode()
    assert client.get(action.event.get_absolute_url()).status_code == 200


def test_organisers_reject_with_a_reason_the_host_is_told(client: Client):
    action = hosted()
    client_org = organiser()
    assert (
        client_org.post(f"/en/events/organise/hosted/{action.pk}/decline/", {}).status_code == 400
    )
    client_org.post(
        f"/en/events/organise/hosted/{action.pk}/decline/", {"reason": "Please add the address."}
    )
    action.refresh_from_db()
    assert action.status == HostedAction.Status.REJECTED
    (mail,) = messages_to("host@example.org", "hosted-action-declined")
    assert "Please add the address." in mail.body_text
    assert "Vigil" not in client.get("/en/events/hosted/").content.decode()


def test_review_needs_the_permission():
    action = hosted()
    client = Client()
    client.force_login(User.objects.create_user("nobody", password="x" * 12, is_staff=True))
    assert client.get("/en/events/organise/hosted/").status_code == 403
    assert client.post(f"/en/events/organise/hosted/{action.pk}/approve/").status_code == 403


def test_others_can_register_for_an_approved_action():
    action = hosted()
    event = action.approve()
    registration = confirmed_registration(event, "joiner@example.org")
    assert registration.has_seat
    assert event.kind == Event.Kind.IN_PERSON


def photo_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@time_machine.travel(AFTER_THE_ACTION)
def test_the_host_reports_back_and_it_shows_after_moderation(
    client: Client, django_capture_on_commit_callbacks
):
    action = hosted()
    action.approve()
    (mail,) = messages_to("host@example.org", "hosted-action-approved")
    report_path = link_in(mail, "/events/hosted/report/")
    assert client.get(report_path).status_code == 200
    raw = photo_with_location()
    assert b"SpyCam" in raw
    response = client.post(
        report_path,
        {
            "participants": "31",
            "text": "We stood for an hour in the rain.",
            "photos": [SimpleUploadedFile("p.jpg", raw, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 200
    report = HostedReport.objects.get()
    (photo,) = report.photos.all()
    stored = photo.image.read()
    assert b"SpyCam" not in stored and b"GPS" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    assert "in the rain" not in client.get("/en/events/hosted/").content.decode()
    photo_path = f"/en/events/hosted/photo/{photo.pk}.jpg"
    assert client.get(photo_path).status_code == 404  # not before moderation
    with django_capture_on_commit_callbacks(execute=True):  # the edit refreshes cached pages
        organiser().post(
            f"/en/events/organise/hosted/reports/{report.pk}/", {"decision": "approve"}
        )
    page = client.get("/en/events/hosted/").content.decode()
    assert "in the rain" in page and "31 people took part." in page
    assert photo_path in page
    served = client.get(photo_path)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == stored
    # one report per action
    assert "We have your report" in client.get(report_path).content.decode()


def test_a_report_link_is_refused_when_forged(client: Client):
    assert client.get("/en/events/hosted/report/abc/").status_code == 404


@time_machine.travel(AFTER_THE_ACTION)
def test_a_report_refuses_files_that_are_not_photos(client: Client):
    action = hosted()
    action.approve()
    path = f"/en/events/hosted/report/{action.report_token()}/"
    response = client.post(
        path,
        {
            "participants": "3",
            "text": "Short.",
            "photos": [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert HostedReport.objects.count() == 0
