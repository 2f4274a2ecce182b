"""In Chromium, JavaScript off: sign up, confirm with the button, open the privacy page and
erase — the forms post back through Django's CSRF check under our referrer policy."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from picketline.mail.outbox import send_due
from picketline.supporters.models import Subscription, Supporter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "browser.person@example.org"


def last_link(kind: str) -> str:
    send_due()
    message = [m for m in mail.outbox if EMAIL in m.to][-1]
    return re.search(rf"https?://[^/\s]+(/\S*/{kind}/\S+)", message.body).group(1)


def test_a_visitor_without_javascript_signs_up_confirms_and_erases(
    page_without_js, recorder, screenshot
):
    page = page_without_js
    page.goto("/en/me/keep-me-informed/")
    assert not page.is_checked("#id_consent_organiser_updates")
    assert not page.is_visible("#id_website")  # the honeypot
    page.fill("#id_email", EMAIL)
    page.fill("#id_name", "Browser Person")
    page.check("#id_consent_organiser_updates")
    screenshot("supporters-keep-me-informed")
    page.click("button[type=submit]")
    assert "/me/check-your-mail/" in page.url

    page.goto(last_link("confirm"))
    assert Subscription.objects.confirmed().count() == 0  # opening the link is not enough
    screenshot("supporters-confirm-page")
    page.click("button[type=submit]")
    assert "Confirmed. It counts now." in page.content()
    assert Subscription.objects.confirmed().count() == 1
    recorder.assert_clean()

    page.goto("/en/me/privacy/")
    page.fill("#id_email", EMAIL)
    page.click("button[type=submit]")
    page.goto(last_link("privacy/open"))
    page.click("button[type=submit]")
    assert "Browser Person" in page.content()
    screenshot("supporters-privacy-page")
    page.click("text=Erase everything")
    page.click("button[type=submit]")
    assert "We hold nothing about you any more, except in backups" in page.content()
    assert Supporter.objects.count() == 0
    assert Subscription.objects.confirmed().count() == 1
    recorder.assert_clean()


def wait_for_nonce(page, seconds: float = 20) -> str:
    """Poll until our script has filled in the nonce (string predicates would need eval, which
    our Content-Security-Policy forbids)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        nonce = page.input_value("input[data-pow-nonce]")
        if nonce:
            return nonce
        page.wait_for_timeout(50)
    raise AssertionError("the proof of work was not solved in time")


def test_our_script_solves_the_proof_of_work_and_earns_a_larger_allowance(
    page_with_js, recorder, settings
):
    settings.SUPPORTERS_POW_BITS = 10
    settings.SUPPORTERS_RATE_LIMITS = {"subscribe": ((1, 3600), (10, 3600))}
    page = page_with_js
    for number in range(3):
        page.goto("/en/me/keep-me-informed/")
        wait_for_nonce(page)
        page.fill("#id_email", f"pow{number}@example.org")
        page.check("#id_consent_organiser_updates")
        page.click("button[type=submit]")
        assert "/me/check-your-mail/" in page.url, page.content()
    # Without the puzzle the same client would have been stopped after the first.
    assert Subscription.objects.count() == 3
    recorder.assert_clean()  # no other origin, no CSP violation, no script error


def test_an_organiser_sets_up_their_account_from_a_set_up_link_in_the_browser(
    page_with_js, recorder, screenshot
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from picketline.accounts.invitations import invite
    from tests.accounts.otp import totp_code

    _user, link = invite("orga", created_by="tests")
    page = page_with_js
    page.goto(link[link.index("/admin/") :])
    qr = page.locator("img[alt='QR code for your authenticator app']")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG data URI really renders
    screenshot("supporters-otp-setup")
    page.fill("#id_email", "orga@example.org")
    page.fill("#id_new_password1", "stitch-the-banner-at-dawn")
    page.fill("#id_new_password2", "stitch-the-banner-at-dawn")
    page.fill("#id_token", totp_code(TOTPDevice.objects.get()))
    page.click("input[type=submit]")
    assert page.url.rstrip("/").endswith("/admin")
    assert "Site administration" in page.content()
    recorder.assert_clean()
