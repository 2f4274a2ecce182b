"""The privacy-link mail and page: "It works once, for 24 hours." and "If you did not ask for
it, ignore this message: nothing changes."; the page behind it: "Your privacy page is open for
30 minutes after you use the link from the e-mail. That time is over, or the page was not
opened in this browser." """

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from picketline.mail.outbox import send_due
from picketline.supporters.models import Consent, Supporter

from .helpers import links_in, path_of, subscribe

pytestmark = pytest.mark.django_db

EMAIL = "ana@example.org"


def ask_for_link(client: Client, smtp_server) -> tuple[str, str]:
    """Ask for the link on the page; return (the mail's text, the link's path)."""
    client.post("/en/me/privacy/", {"email": EMAIL})
    send_due()
    text = smtp_server.to(EMAIL)[-1].get_body(("plain",)).get_content()
    return text, path_of(links_in(text)[0])


def test_the_mail_and_the_page_state_the_hours_the_link_really_works(client, smtp_server):
    subscribe(EMAIL)
    page = client.post("/en/me/privacy/", {"email": EMAIL}).content.decode()
    assert "It works once, for 24 hours." in page
    send_due()
    text = smtp_server.to(EMAIL)[-1].get_body(("plain",)).get_content()
    assert "It works once, for 24 hours." in text
    open_path = path_of(links_in(text)[0])
    sent = timezone.now()

    with time_machine.travel(sent + timedelta(hours=24, minutes=1)):
        assert Client().post(open_path).status_code == 410
    with time_machine.travel(sent + timedelta(hours=23, minutes=59)):
        assert Client().post(open_path).status_code == 302
        # Once used, it is dead, in any browser.
        assert Client().post(open_path).status_code == 410


def test_the_hours_follow_the_setting(client, smtp_server, settings):
    settings.SUPPORTERS_PRIVACY_LINK_HOURS = 1
    subscribe(EMAIL)
    text, open_path = ask_for_link(client, smtp_server)
    assert "It works once, for 1 hour." in text
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert Client().post(open_path).status_code == 410


def test_a_link_nobody_uses_changes_nothing(client, smtp_server):
    subscribe(EMAIL)
    before = (Supporter.objects.get().personal_data(), list(Consent.objects.values()))
    text, open_path = ask_for_link(client, smtp_server)
    assert "If you did not ask for it, ignore this message: nothing changes." in text
    # A mail scanner fetching the link does not use it up either.
    assert Client().get(open_path).status_code == 200
    after = Supporter.objects.get().personal_data()
    assert after["supporter"] == before[0]["supporter"]
    assert after["consents"] == before[0]["consents"]
    assert after["actions"] == before[0]["actions"]
    assert list(Consent.objects.values()) == before[1]
    assert Client().post(open_path).status_code == 302


def test_the_page_is_open_for_thirty_minutes_in_the_browser_that_opened_it(client, smtp_server):
    subscribe(EMAIL)
    _, open_path = ask_for_link(client, smtp_server)
    opened = timezone.now()
    assert client.post(open_path).status_code == 302
    assert client.get("/en/me/privacy/mine/").status_code == 200
    # Another browser, even with the same link after it was used, does not get in.
    other = Client()
    assert other.get("/en/me/privacy/mine/").status_code == 403
    assert other.get("/en/me/privacy/mine/my-data.json").status_code == 403

    with time_machine.travel(opened + timedelta(minutes=29)):
        assert client.get("/en/me/privacy/mine/my-data.json").status_code == 200
    with time_machine.travel(opened + timedelta(minutes=31)):
        over = client.get("/en/me/privacy/mine/")
        assert over.status_code == 403
        assert "open for 30 minutes" in over.content.decode()
        assert client.get("/en/me/privacy/mine/my-data.json").status_code == 403
        assert client.post("/en/me/privacy/mine/erase/").status_code == 403
    assert Supporter.objects.count() == 1
