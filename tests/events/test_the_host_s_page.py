"""The host of a supporter-held action: their private page counts who signed up, lets them write
to those people through the site without seeing an address, and takes a report only once the
action has taken place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from picketline.events.models import HostedReport
from picketline.mail.models import OutgoingMessage
from picketline.web.fields import email_index
from picketline.web.moments import moment_text
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
    assert "at most 3 messages in 24 hours" in refused.content.decode()
    assert OutgoingMessage.objects.filter(kind="event-host-message").count() == 6


def shown_time(moment: datetime) -> str:
    """A moment as the host's page writes it: in the action's zone, named, in English."""
    with translation.override("en"):
        return moment_text(moment, "Europe/Vilnius")


def test_the_limit_is_the_last_24_hours_not_a_calendar_day(client: Client):
    with time_machine.travel(BEFORE):
        action = hosted()
        confirmed_registration(action.approve(), "ana@example.org")
    path = page_path(action) + "write/"
    message = {"subject": "News", "text": "More news."}
    codes = []
    first = datetime(2030, 4, 2, 23, 59, tzinfo=UTC)
    with time_machine.travel(first, tick=False):
        codes += [client.post(path, message).status_code for _ in range(4)]
    with time_machine.travel(datetime(2030, 4, 3, 0, 0, 30, tzinfo=UTC), tick=False):
        codes += [client.post(path, message).status_code for _ in range(3)]
        refused = client.post(path, message)
    codes.append(refused.status_code)

    assert codes == [200, 200, 200] + [429] * 5
    assert len(messages_to("ana@example.org", "event-host-message")) == 3
    again = first + timedelta(hours=24)
    assert f"From {shown_time(again)} you can write again." in refused.content.decode()
    assert refused["Retry-After"] == str(24 * 3600 - 90 + 1)
    with time_machine.travel(again - timedelta(seconds=1), tick=False):
        assert client.post(path, message).status_code == 429
        page = client.get(path).content.decode()
        assert "you can write again." in page and 'name="subject"' not in page
    with time_machine.travel(again, tick=False):
        assert client.post(path, message).status_code == 200
    assert len(messages_to("ana@example.org", "event-host-message")) == 4


def test_writing_ends_when_the_registrants_links_die(client: Client, settings, action):
    settings.EVENTS_LINK_DAYS_AFTER = 7
    path = page_path(action) + "write/"
    # The action ends at 13:00 in Vilnius on 19 April: 10:00 UTC.
    last_moment = datetime(2030, 4, 26, 10, tzinfo=UTC)
    with time_machine.travel(last_moment - timedelta(minutes=1), tick=False):
        page = client.get(path).content.decode()
        assert f"Until {shown_time(last_moment)} you can write to them." in page
        assert client.post(path, {"subject": "Thanks", "text": "Thank you all."}).status_code == 200
    with time_machine.travel(last_moment, tick=False):
        host_page = client.get(page_path(action)).content.decode()
        assert "Write to everyone who signed up" not in host_page
        page = client.get(path).content.decode()
        over = f"since {shown_time(last_moment)} you can no longer write to those who signed up."
        assert over in page and 'name="subject"' not in page
        late = client.post(path, {"subject": "Late", "text": "Too late."})
    assert late.status_code == 410
    assert over in late.content.decode()
    assert len(messages_to("ana@example.org", "event-host-message")) == 1


@pytest.mark.postgres
def test_a_message_is_counted_under_a_lock_on_the_action(client: Client, action):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = page_path(action) + "write/"
    with time_machine.travel(BEFORE), CaptureQueriesContext(connection) as queries:
        assert client.post(path, {"subject": "News", "text": "More news."}).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    (locking,) = [n for n, sql in enumerate(statements) if "FOR NO KEY UPDATE" in sql]
    (storing,) = [
        n for n, sql in enumerate(statements) if 'INSERT INTO "events_hostmessage"' in sql
    ]
    # The page reads the messages too; the count that decides is the one under the lock.
    counting = [
        n
        for n, sql in enumerate(statements)
        if locking < n < storing and sql.startswith("SELECT") and "events_hostmessage" in sql
    ]
    assert counting


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
