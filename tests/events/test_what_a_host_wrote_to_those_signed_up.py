"""What a host writes to those who signed up is kept once, as the host wrote it: the host's
message page lists what went, their privacy page and download hold it (never a recipient's name
or address), erasing the host deletes it, and it goes when the mails it was sent as go."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from picketline.events.jobs import purge_old_host_messages
from picketline.events.models import HostedAction, HostMessage
from picketline.events.models.hosted import HOST_MESSAGE_KIND
from picketline.jobs import schedule
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage, purge_old_mail
from picketline.supporters.models import Supporter
from picketline.web.fields import email_index
from tests.events.helpers import confirmed_registration, messages_to
from tests.events.test_hosted import hosted
from tests.supporters.test_withdrawing_a_consent_stops_what_rests_on_it import open_privacy_page

pytestmark = pytest.mark.django_db

RECIPIENTS = ["ana.quirinova@example.org", "bo.lanternson@example.org"]
# registration_for names each registrant after their address
NAMES = ["ana.quirinova", "bo.lanternson"]
FIRST = {"subject": "Bring umbrellas", "text": "Rain is expected at noon."}
SECOND = {"subject": "We meet at the kiosk", "text": "The square is closed; the kiosk it is."}


@pytest.fixture
def action() -> HostedAction:
    action = hosted()
    event = action.approve()
    for address in RECIPIENTS:
        confirmed_registration(event, address)
    return action


def write_path(action: HostedAction) -> str:
    return f"/en/events/hosted/report/{action.report_token()}/write/"


def write_twice(client: Client, action: HostedAction) -> None:
    """The first message to both who signed up; the second after one of them cancelled."""
    assert client.post(write_path(action), FIRST).status_code == 200
    cancelling = email_index(RECIPIENTS[1])
    action.event.registrations.get(supporter__email_index=cancelling).cancel()
    assert client.post(write_path(action), SECOND).status_code == 200


def host() -> Supporter:
    return Supporter.objects.for_email("host@example.org")


def test_it_keeps_each_message_once_as_the_host_wrote_it(client, action):
    write_twice(client, action)
    kept = [
        (m.subject, m.text, m.recipients) for m in HostMessage.objects.filter(hosted_action=action)
    ]
    assert kept == [(FIRST["subject"], FIRST["text"], 2), (SECOND["subject"], SECOND["text"], 1)]
    # The mails are one per recipient, as before (Bo's, not sent yet, went when Bo cancelled).
    assert [m.kind for m in messages_to(RECIPIENTS[0], HOST_MESSAGE_KIND)] == [
        HOST_MESSAGE_KIND
    ] * 2
    assert OutgoingMessage.objects.filter(kind=HOST_MESSAGE_KIND).count() == 2


def test_the_message_page_lists_what_the_host_has_sent(client, action):
    write_twice(client, action)
    page = html.unescape(client.get(write_path(action)).content.decode())
    assert "What you have sent" in page
    assert f"{FIRST['subject']} (to 2 people)" in page
    assert f"{SECOND['subject']} (to 1 person)" in page
    assert page.index(FIRST["subject"]) < page.index(SECOND["subject"])
    for who in [*RECIPIENTS, *NAMES]:
        assert who not in page


def test_the_download_holds_both_messages_and_nobody_they_went_to(client, action):
    write_twice(client, action)
    open_privacy_page(client, host())
    download = json.loads(client.get("/en/me/privacy/mine/my-data.json").content)

    (held,) = [a for a in download["actions"] if a["data"]["title"] == "Vigil in Vilnius"]
    messages = held["data"]["messages"]
    assert [(m["subject"], m["text"], m["recipients"]) for m in messages] == [
        (FIRST["subject"], FIRST["text"], 2),
        (SECOND["subject"], SECOND["text"], 1),
    ]
    assert all(datetime.fromisoformat(m["written_at"]) for m in messages)
    text = json.dumps(download, ensure_ascii=False)
    for who in [*RECIPIENTS, *NAMES]:
        assert who not in text


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Message to those who signed up"),
        ("de", "Nachricht an die Angemeldeten"),
        ("ru", "Сообщение тем, кто записался"),
        ("be", "Паведамленне тым, хто запісаўся"),
    ],
)
def test_the_privacy_page_shows_each_message_readably(client, action, language, label):
    write_twice(client, action)
    open_privacy_page(client, host())
    page = html.unescape(client.get(f"/{language}/me/privacy/mine/").content.decode())

    assert page.count(f"<dt>{label}</dt>") == 2
    with translation.override(language):
        recipients = capfirst(str(HostedAction.personal_data_labels["recipients"]))
        subject = capfirst(str(HostedAction.personal_data_labels["subject"]))
    assert f"{subject}: {FIRST['subject']};" in page
    assert f"{recipients}: 2" in page and f"{recipients}: 1" in page
    assert FIRST["text"] in page and SECOND["text"] in page
    assert "written_at" not in page and "{'" not in page
    for who in [*RECIPIENTS, *NAMES]:
        assert who not in page


def test_erasing_the_host_deletes_what_they_wrote_and_only_that(client, action):
    write_twice(client, action)
    other = hosted(title="Vigil in Riga", supporter=Supporter.get_or_create_for_email("o@x.org")[0])
    other.approve()
    confirmed_registration(other.event, "cy@example.org")
    other.write_to_those_signed_up("Candles", "Bring candles.")

    host().erase()

    assert list(HostMessage.objects.values_list("subject", flat=True)) == ["Candles"]


def test_the_messages_go_when_the_mails_they_were_sent_as_go(client, action, settings):
    settings.SENT_MAIL_KEEP_DAYS = 30
    written = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with time_machine.travel(written):
        action.write_to_those_signed_up(FIRST["subject"], FIRST["text"])
        while outbox.send_due():
            pass
    with time_machine.travel(written + timedelta(days=20)):
        action.write_to_those_signed_up(SECOND["subject"], SECOND["text"])
        while outbox.send_due():
            pass

    def left() -> tuple[list[str], int]:
        subjects = list(HostMessage.objects.values_list("subject", flat=True))
        return subjects, OutgoingMessage.objects.filter(kind=HOST_MESSAGE_KIND).count()

    a_day_before = written + timedelta(days=29)
    purge_old_mail(now=a_day_before)
    assert purge_old_host_messages(now=a_day_before) == 0
    assert left() == ([FIRST["subject"], SECOND["subject"]], 4)

    a_day_after = written + timedelta(days=31)
    purge_old_mail(now=a_day_after)
    assert purge_old_host_messages(now=a_day_after) == 1
    assert left() == ([SECOND["subject"]], 2)


def test_the_worker_runs_the_purge(action, settings):
    settings.SENT_MAIL_KEEP_DAYS = 1
    action.write_to_those_signed_up(FIRST["subject"], FIRST["text"])
    HostMessage.objects.update(written_at=datetime(2020, 1, 1, tzinfo=UTC))
    schedule.load_jobs()["picketline.events.jobs.purge_host_messages"].func()
    assert not HostMessage.objects.exists()
