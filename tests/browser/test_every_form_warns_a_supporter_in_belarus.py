"""Someone who picks Belarus on an event's registration form or the video form is warned in
their language before anything is stored, with JavaScript off (the server sends the form back
with the warning) and on (the warning shows as soon as the country is chosen); they can change
the country, or tick that they read the warning and go on. A form that would publish the
country (an organisation's endorsement) offers no button while it is chosen."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from picketline.events.models import Registration
from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import VideoMessage
from picketline.supporters.models import AnonymousCount, Consent, DangerousCountry, Supporter
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401 - a fixture
from tests.events.helpers import online_meeting
from tests.fixtures.media import use_media_folders

pytestmark = pytest.mark.browser

HEADING = "Your safety first"


@pytest.fixture(autouse=True)
def marked(live_server, settings, tmp_path):
    use_media_folders(settings, tmp_path)
    DangerousCountry.objects.create(code="BY")
    online_meeting()


def in_russian(text: str) -> str:
    with translation.override("ru"):
        return gettext(text)


def nothing_about_anyone_stored() -> bool:
    return not (
        Supporter.objects.exists()
        or Registration.objects.exists()
        or VideoMessage.objects.exists()
        or Consent.objects.exists()
        or OutgoingMessage.objects.exists()
    )


def assert_clean(recorder) -> None:
    """As ``recorder.assert_clean()``, but a form sent back answers 400 on purpose, which the
    browser logs as a failed resource."""
    assert not recorder.foreign_requests() and not recorder.csp_violations()
    refused = "the server responded with a status of 400"
    assert [line for line in recorder.errors() if refused not in line] == []


def fill_who(page, country: str = "BY") -> None:
    page.fill("#id_name", "Ольга Иванова")
    page.fill("#id_email", "olga@example.by")
    page.select_option("#id_country", country)


def fill_video(page) -> None:
    page.fill("#id_link", "https://video.example/watch/1")
    page.check("input[name=display_name][value=anonymous]")
    page.check("#id_face_voice")


def test_registration_without_javascript_warns_then_goes_on_once_read(
    recorder, page_without_js, screenshot
):
    page = page_without_js
    page.goto("/ru/events/meeting/")
    expect(page.locator("[data-safety]")).to_be_hidden()
    fill_who(page)
    page.get_by_role("button", name=in_russian("Register"), exact=True).click()
    warning = page.locator("[data-safety]")
    expect(warning.get_by_role("heading", name=in_russian(HEADING))).to_be_visible()
    expect(page.get_by_text(in_russian("Nothing you typed has been stored."))).to_be_visible()
    screenshot("registration-belarus-warning-no-js")
    assert nothing_about_anyone_stored()

    # Having read it, the supporter goes on: the box is never ticked in advance.
    box = page.locator("#id_safety_acknowledged")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name=in_russian("Register"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/ru/events/meeting/check-your-mail/"))
    assert Registration.objects.get().supporter.country == "BY"
    assert_clean(recorder)


def test_registration_with_javascript_warns_as_soon_as_belarus_is_chosen(
    recorder,
    page_with_js,
    screenshot,
    axe_source,  # noqa: F811
):
    page = page_with_js
    page.goto("/ru/events/meeting/")
    warning = page.locator("[data-safety]")
    box = page.locator("[data-safety-acknowledge]")
    expect(warning).to_be_hidden()
    address = page.url
    fill_who(page)
    expect(warning.get_by_role("heading", name=in_russian(HEADING))).to_be_visible()
    expect(box).to_be_visible()
    assert page.url == address and nothing_about_anyone_stored()
    screenshot("registration-belarus-warning-js")
    assert violations(page, axe_source) == []

    page.select_option("#id_country", "DE")
    expect(warning).to_be_hidden()
    expect(box).to_be_hidden()
    page.select_option("#id_country", "BY")
    # Sent without the box: the server's warning, nothing stored.
    page.get_by_role("button", name=in_russian("Register"), exact=True).click()
    expect(page.get_by_text(in_russian("Nothing you typed has been stored."))).to_be_visible()
    assert nothing_about_anyone_stored()
    assert violations(page, axe_source) == []

    # The anonymous count keeps nothing but a number.
    page.get_by_role("button", name=in_russian("Count my support")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_russian("Your support is counted"))
    assert AnonymousCount.count_for("/events/meeting/") == 1
    assert nothing_about_anyone_stored()
    assert_clean(recorder)


def test_the_video_form_without_javascript_warns_before_anything_is_stored(
    recorder, page_without_js, screenshot
):
    page = page_without_js
    page.goto("/ru/submit/video/")
    fill_video(page)
    fill_who(page)
    page.get_by_role("button", name=in_russian("Send my video message")).click()
    heading = page.locator("[data-safety]").get_by_role("heading", name=in_russian(HEADING))
    expect(heading).to_be_visible()
    expect(page.get_by_text(in_russian("Nothing you typed has been stored."))).to_be_visible()
    screenshot("video-belarus-warning-no-js")
    assert nothing_about_anyone_stored()

    # Read and acknowledged: the video goes to the moderators, never shown with its country.
    page.check("#id_safety_acknowledged")
    page.get_by_role("button", name=in_russian("Send my video message")).click()
    expect(page).to_have_url("/ru/me/check-your-mail/")
    video = VideoMessage.objects.get()
    assert video.public_country == "" and video.calls_for_discretion()
    assert_clean(recorder)


def test_the_video_form_with_javascript_warns_as_soon_as_belarus_is_chosen(
    recorder, page_with_js, screenshot
):
    page = page_with_js
    page.goto("/ru/submit/video/")
    warning = page.locator("[data-safety]")
    expect(warning).to_be_hidden()
    fill_video(page)
    fill_who(page)
    expect(warning.get_by_role("heading", name=in_russian(HEADING))).to_be_visible()
    expect(page.locator("[data-safety-acknowledge]")).to_be_visible()
    screenshot("video-belarus-warning-js")
    page.check("#id_safety_acknowledged")
    page.get_by_role("button", name=in_russian("Send my video message")).click()
    expect(page).to_have_url("/ru/me/check-your-mail/")
    assert VideoMessage.objects.get().supporter.country == "BY"
    assert_clean(recorder)


def test_an_endorsement_from_an_organisation_in_belarus_has_no_button(recorder, page_with_js):
    page = page_with_js
    page.goto("/ru/submit/endorse/")
    button = page.get_by_role("button", name=in_russian("Send our endorsement"))
    expect(button).to_be_visible()
    page.select_option("#id_org_country", "BY")
    expect(page.locator("[data-safety]")).to_be_visible()
    expect(button).to_be_hidden()
    expect(page.locator("[data-safety-acknowledge]")).to_be_hidden()
    page.select_option("#id_org_country", "DE")
    expect(button).to_be_visible()
    assert_clean(recorder)
