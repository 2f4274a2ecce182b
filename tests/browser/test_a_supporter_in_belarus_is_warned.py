"""Someone who picks Belarus on a letter's page is warned in their language before anything is
stored, with JavaScript off (the server answers the form with the warning) and on (the warning
shows as soon as the country is chosen), and can count their support without a name."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from picketline.letters.models import AnonymousSupport, Letter
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent, DangerousCountry, Supporter
from tests.letters.helpers import embassy_action, target

pytestmark = pytest.mark.browser

WARNING = "Please do not send this letter in your own name"


@pytest.fixture
def action(live_server):
    DangerousCountry.objects.create(code="BY")
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    return embassy_action()


def in_russian(text: str) -> str:
    with translation.override("ru"):
        return gettext(text)


def nothing_about_anyone_stored() -> bool:
    return not (
        Supporter.objects.exists()
        or Letter.objects.exists()
        or Consent.objects.exists()
        or OutgoingMessage.objects.exists()
    )


def fill_the_form(page) -> None:
    page.fill("#id_name", "Ольга Иванова")
    page.fill("#id_email", "olga@example.by")
    page.select_option("#id_country", "BY")
    page.check("#id_consent_send_in_my_name")


def test_without_javascript_the_server_warns_and_stores_nothing(
    action, recorder, page_without_js, screenshot
):
    page = page_without_js
    page.goto(f"/ru/letters/{action.slug}/")
    fill_the_form(page)
    page.get_by_role("button", name=in_russian("Preview the letter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_russian(WARNING))
    expect(page.get_by_text(in_russian("Nothing you typed has been stored."))).to_be_visible()
    screenshot("belarus-warning-no-js")
    assert nothing_about_anyone_stored()
    assert page.locator("button[value=send]").count() == 0

    page.get_by_role("button", name=in_russian("Count my support")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_russian("Your support is counted"))
    assert AnonymousSupport.count_for(action) == 1
    assert nothing_about_anyone_stored()
    recorder.assert_clean()


def test_with_javascript_the_warning_shows_as_soon_as_belarus_is_chosen(
    action, recorder, page_with_js, screenshot
):
    page = page_with_js
    page.goto(f"/ru/letters/{action.slug}/")
    warning = page.locator("[data-safety-country=BY]")
    expect(warning).to_be_hidden()
    address = page.url
    page.select_option("#pick-country", "BY")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("heading", name=in_russian(WARNING))).to_be_visible()
    # No button to send the letter form while Belarus is chosen, and no page was loaded.
    expect(page.locator("[data-letter-buttons]")).to_be_hidden()
    assert page.url == address
    screenshot("belarus-warning-js")

    # Back to another country: the form is there again.
    page.select_option("#id_country", "DE")
    expect(warning).to_be_hidden()
    expect(page.locator("[data-letter-buttons]")).to_be_visible()

    # Filling the form with Belarus shows the warning again; asking for the recipients
    # anyway meets the server's warning, and nothing typed was sent or stored.
    fill_the_form(page)
    expect(warning).to_be_visible()
    page.get_by_role("button", name=in_russian("Show recipients")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_russian(WARNING))
    assert "olga" not in page.url
    assert nothing_about_anyone_stored()
    recorder.assert_clean()
