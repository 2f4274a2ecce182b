"""The host of a supporter-held action: their private page counts who signed up, lets them write
to those people through the site without seeing an address, and takes a report only once the
action has taken place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from picketline.events.models import HostedReport
from picketline.mail.models import OutgoingMessage
from picketline.web.fields import email_index
from tests.events.helpers import confirmed_registration, messages_to
from tests.events.test_hosted import hosted

pytestmark = pytest.mark.django_db

BEFORE = datetime(2030, 4, 1, 12, tzinfo=UTC)
# The action starts at 12:00 in Vilnius: 09:00 UTC.
JUST_BEFORE_THE_START = datetime(2030, 4, 19, 8, 59, tzinfo=UTC)
JUST_AFTER_THE_START = datetime(2030, 4, 19, 9, 1, tzinfo=UTC)


@pytest.fixture
def action():
    action = hosted()
    event = action.approve()
    confirmed_registration(event, "ana@example.org")
    confirmed_registration(event, "bob@example.org")
    cancelled = confirmed_registration(event, "cy@example.org")
    cancelled.cancel()
    return action


def page_path(action) -> str:
    return f"/en/events/hosted/report/{action.report_token()}/"


@time_machine.travel(BEFORE)
def test_the_host_sees_how_many_signed_up_but_not_who(client: Client, action):
    page = client.get(page_path(action)).content.decode()
    assert "2 people have signed up." in page
    for who in ("ana", "bob", "cy@"):
        assert who not in page


@time_machine.travel(BEFORE)
def test_the_host_writes_to_everyone_signed_up_without_seeing_an_address(client: Client, action):
    path = page_path(action) + "write/"
    form = client.get(path)
    assert form.status_code == 200 and "example.org" not in form.content.decode()
    sent = client.post(path, {"subject": "Bring umbrellas", "text": "Rain is expected."})
    assert sent.status_code == 200
    assert "We are sending your message to 2 people." in sent.content.decode()
    assert "example.org" not in sent.content.decode()
    for address in ("ana@example.org", "bob@example.org"):
        (mail,) = messages_to(address, "event-host-message")
        assert mail.subject == "Vigil in Vilnius: Bring umbrellas"
        assert "Rain is expected." in mail.body_text
        assert "do not see your e-mail address" in mail.body_text
        assert mail.reply_to == ""  # a reply goes to the site, never to the host
    assert messages_to("cy@example.org", "event-host-message") == []
    assert messages_to("host@example.org", "event-host-message") == []


@time_machine.travel(BEFORE)
def test_who_cancels_or_is_erased_before_the_message_goes_gets_nothing(client: Client, action):
    path = page_path(action) + "write/"
    assert client.post(path, {"subject": "Umbrellas", "text": "Rain."}).status_code == 200
    ana = action.event.registrations.get(supporter__email_index=email_index("ana@example.org"))
    bob = action.event.registrations.get(supporter__email_index=email_index("bob@example.org"))

    ana.cancel()
    bob.supporter.erase()

    assert messages_to("ana@example.org", "event-host-message") == []
    assert [m.kind for m in messages_to("ana@example.org")] == ["event-cancelled"]
    assert messages_to("bob@example.org") == []


@time_machine.travel(BEFORE)
def test_a_host_may_write_only_a_few_times_a_day(client: Client, action):
    path = page_path(action) + "write/"
    message = {"subject": "News", "text": "More news."}
    for _ in range(3):
        assert client.post(path, message).status_code == 200
    refused = client.post(path, message)
    assert refused.status_code == 429
    assert "at most 3 messages a day" in refused.content.decode()
    assert OutgoingMessage.objects.filter(kind="event-host-message").count() == 6


@time_machine.travel(BEFORE)
def test_a_host_message_has_limits(client: Client, action):
    path = page_path(action) + "write/"
    response = client.post(path, {"subject": "x", "text": "y" * 2001})
    assert response.status_code == 400
    assert not OutgoingMessage.objects.filter(kind="event-host-message").exists()


def test_a_forged_host_link_writes_to_nobody(client: Client, action):
    response = client.post("/en/events/hosted/report/forged/write/", {"subject": "a", "text": "b"})
    assert response.status_code == 404


@time_machine.travel(JUST_BEFORE_THE_START)
def test_a_report_is_refused_before_the_action_starts(client: Client, action):
    page = client.get(page_path(action)).content.decode()
    assert (
        "Once the action has taken place (from 19 April 2030, 12:00 (Vilnius time, UTC+3))" in page
    )
    assert 'name="participants"' not in page
    response = client.post(page_path(action), {"participants": "20", "text": "Went well."})
    assert response.status_code == 400
    assert "once the action has taken place" in response.content.decode()
    assert not HostedReport.objects.exists()


@time_machine.travel(JUST_AFTER_THE_START)
def test_a_report_is_taken_once_the_action_has_started(client: Client, action):
    assert 'name="participants"' in client.get(page_path(action)).content.decode()
    response = client.post(page_path(action), {"participants": "20", "text": "Went well."})
    assert response.status_code == 200
    assert HostedReport.objects.get().participants == 20


def test_a_moved_event_moves_the_day_reports_open(client: Client, action):
    event = action.event
    event.starts_at = datetime(2030, 4, 26, 9, tzinfo=UTC)
    event.ends_at = datetime(2030, 4, 26, 10, tzinfo=UTC)
    event.save()
    with time_machine.travel(JUST_AFTER_THE_START):
        response = client.post(page_path(action), {"participants": "20", "text": "Went well."})
    assert response.status_code == 400
    assert not HostedReport.objects.exists()


def test_the_admin_cannot_add_a_report_before_the_action_either(action):
    from django.contrib.auth.models import User

    boss = User.objects.create_superuser("boss", password="x" * 12)
    client = Client()
    data = {
        "hosted_action": action.pk,
        "participants": "5",
        "text": "Early.",
        "status": "submitted",
    }
    data |= {"submitted_at_0": "2030-04-01", "submitted_at_1": "12:00:00"}
    with time_machine.travel(JUST_BEFORE_THE_START):
        client.force_login(boss)  # a session from today would have expired by 2030
        refused = client.post("/admin/events/hostedreport/add/", data)
    assert refused.status_code == 200
    assert "once the action has taken place" in refused.content.decode()
    assert not HostedReport.objects.exists()
    with time_machine.travel(JUST_AFTER_THE_START):
        client.force_login(boss)
        taken = client.post("/admin/events/hostedreport/add/", data)
    assert taken.status_code == 302, taken.content.decode()[:2000]
    assert HostedReport.objects.count() == 1
