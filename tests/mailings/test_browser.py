"""An organiser writes, previews, tests and sends a mailing in a real browser, with JavaScript
and without; the mail goes through a real SMTP server on loopback, and its unsubscribe header
takes the RFC 8058 POST while its footer link only shows a button."""

from __future__ import annotations

import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.roles import ORGANISER, ensure_roles
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.mailings import sending
from picketline.mailings.models import Mailing
from picketline.supporters.models import Consent
from tests.accounts.otp import totp_code
from tests.mailings.helpers import supporter

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def log_in(page, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/admin/otp/verify/**")
    page.fill("input[name=token]", totp_code(device))
    page.locator("form [type=submit]").click()
    page.wait_for_url("**/admin/")


def send_all(seconds: float = 10) -> None:
    """Run the worker's mailing job and outbox until nothing waits (messages of a mailing are
    spaced at its rate, a few milliseconds apart here)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sending.expand_sending()
        send_due(100)
        if not OutgoingMessage.objects.filter(status__in=sending.UNFINISHED).exists():
            return
    raise AssertionError("mail still waiting")


def consent_of(person) -> Consent:
    return person.consents.get(purpose=Consent.Purpose.ORGANISER_UPDATES)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_organiser_sends_a_mailing_and_a_reader_unsubscribes(
    javascript, request, live_server, smtp_server, settings, recorder, screenshot
):
    settings.SITE_URL = live_server.url
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    ensure_roles()
    organiser = get_user_model().objects.create_user(
        "olga", "olga@example.org", PASSWORD, is_staff=True, first_name="Olga"
    )
    organiser.groups.add(Group.objects.get(name=ORGANISER))
    ana = supporter("ana@example.org", name="Ana", language="ru")
    ben = supporter("ben@example.org", name="Ben", language="de")
    log_in(page, "olga")

    # Compose: an English version (the fallback) and a Russian one.
    page.goto("/admin/mailings/mailing/add/")
    page.fill("#id_title", "Trial news")
    page.fill("#id_rate", "60000")
    page.fill("#id_versions-0-subject", "The trial, {name}")
    page.fill("#id_versions-0-body", "Hello {name}, the trial starts on 3 May.")
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/**")
    mailing = Mailing.objects.get()
    assert mailing.versions.get().language == "en"
    screenshot(f"mailing-composed-{request.node.callspec.id}", page)

    # Preview as a real reader (the German reader gets the English fallback).
    page.locator("a", has_text="Preview").click()
    page.fill("#id_email", "ben@example.org")
    page.locator("input[type=submit]").click()
    assert "The trial, Ben" in page.locator(".mailing-subject").inner_text()
    screenshot(f"mailing-preview-{request.node.callspec.id}", page)

    # A test to the organiser's own address, through the SMTP server.
    page.goto(f"/admin/mailings/mailing/{mailing.pk}/test/")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/change/**")
    send_all()
    assert [m["Subject"] for m in smtp_server.to("olga@example.org")] == ["[Test] The trial, Olga"]

    # Schedule now; the worker sends it.
    page.goto(f"/admin/mailings/mailing/{mailing.pk}/schedule/")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/change/**")
    assert page.locator(".mailing-state").inner_text() == "scheduled"
    send_all()
    to_ana, to_ben = smtp_server.to("ana@example.org"), smtp_server.to("ben@example.org")
    assert [m["Subject"] for m in to_ana + to_ben] == ["The trial, Ana", "The trial, Ben"]
    assert to_ana[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<img" not in to_ana[0].get_body(("html",)).get_content()

    # The mail provider's one-click POST: no cookie, no form token.
    header = str(to_ana[0]["List-Unsubscribe"]).strip()  # folded before the bracket
    assert header.startswith("<http") and header.endswith("/>")
    header_url = header[1:-1]
    answer = urllib.request.urlopen(  # noqa: S310 - the live server on loopback
        urllib.request.Request(
            header_url,
            data=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
    )
    assert answer.status == 200 and not answer.headers.get("Set-Cookie")
    assert consent_of(ana).withdrawn_at is not None

    # The footer link in Ben's mail: opening it changes nothing, the button does.
    footer_url = to_ben[0].get_body(("plain",)).get_content().strip().splitlines()[-1]
    page.goto(footer_url)
    assert consent_of(ben).withdrawn_at is None
    screenshot(f"mailing-unsubscribe-{request.node.callspec.id}", page)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert consent_of(ben).withdrawn_at is not None

    sending.finish()
    page.goto(f"/admin/mailings/mailing/{mailing.pk}/report/")
    assert page.locator("td.sent").inner_text() == "2"
    assert page.locator("td.unsubscribed").inner_text() == "2"
    recorder.assert_clean()
