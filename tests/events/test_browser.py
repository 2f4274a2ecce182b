"""In Chromium: register for the online meeting with JavaScript off and on, confirm with the
button, reach the personal page with the join link; the broadcast player loads only on a click."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from picketline.events.models import Registration
from tests.events.helpers import JOIN_URL, link_in, messages_to, online_meeting, street_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in_new_york(browser, recorder, _opened_pages) -> Iterator[Page]:
    """JavaScript on, in a browser whose clock is in New York."""
    context = browser.new_context(
        base_url=recorder.origin,
        viewport={"width": 1280, "height": 900},
        timezone_id="America/New_York",
        locale="en-GB",
        service_workers="block",
    )
    recorder.attach(context)
    page = context.new_page()
    _opened_pages.append(page)
    yield page
    context.close()


def register(page: Page, email: str, screenshot, name: str) -> None:
    page.goto("/en/events/meeting/")
    assert JOIN_URL not in page.content()
    page.fill("#id_name", "Browser Person")
    page.fill("#id_email", email)
    page.fill("#id_organisation", "Union of Browsers")
    page.select_option("#id_language", "en")
    screenshot(f"events-{name}-form")
    page.click("#register button[type=submit]")
    assert "/en/events/meeting/check-your-mail/" in page.url
    (confirmation,) = messages_to(email, "confirmation")
    page.goto(link_in(confirmation, "/confirm/"))
    assert Registration.objects.get().status == Registration.Status.PENDING
    page.click("main button[type=submit]")
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    (seat,) = messages_to(email, "event-seat-given")
    page.goto(link_in(seat, "/events/r/"))
    assert JOIN_URL in page.content()
    screenshot(f"events-{name}-personal-page")


def test_it_registers_for_the_online_meeting_without_javascript(
    page_without_js, recorder, screenshot
):
    online_meeting()
    register(page_without_js, "nojs@example.org", screenshot, "nojs")
    assert Registration.objects.get().time_zone == ""  # nobody told us; the event's zone is used
    recorder.assert_clean()


def test_it_registers_for_the_online_meeting_with_javascript(
    page_in_new_york, recorder, screenshot
):
    online_meeting()
    page = page_in_new_york
    page.goto("/en/events/meeting/")
    local = page.locator("[data-local-time]").first
    assert local.is_visible()
    assert "America/New_York" in local.inner_text() and "03:30" in local.inner_text()
    register(page, "js@example.org", screenshot, "js")
    assert Registration.objects.get().time_zone == "America/New_York"
    recorder.assert_clean()


@pytest.mark.parametrize("query", ["", "?player=1"], ids=["plain", "player-1"])
def test_the_broadcast_player_loads_only_after_a_click(page_with_js, recorder, screenshot, query):
    """Also from a link that asks for the player: only the visitor's click loads it."""
    street_action()
    page = page_with_js
    page.goto(f"/en/events/berlin/{query}#broadcast")
    page.wait_for_load_state("networkidle")
    assert recorder.foreign_requests() == []
    assert page.locator("iframe").count() == 0
    assert page.locator("[data-player-load]").is_visible()  # our script ran and waits
    assert "Nothing is loaded from https://player.example.com" in page.inner_text("#broadcast")
    screenshot(f"events-street-action-before-click{query and '-player-1'}")
    page.click("[data-player-load]")
    frame = page.locator("iframe.player__frame")
    assert frame.get_attribute("src") == "https://player.example.com/embed/live"
    requested = False
    for _ in range(50):  # poll for up to five seconds
        requested = bool(recorder.foreign_requests())
        if requested:
            break
        page.wait_for_timeout(100)
    assert requested, "the player was never requested"
    assert all(url.startswith("https://player.example.com/") for url in recorder.foreign_requests())
    assert recorder.csp_violations() == []


def test_the_street_action_page_works_without_javascript(page_without_js, recorder, screenshot):
    street_action()
    page = page_without_js
    page.goto("/en/events/berlin/")
    assert page.locator("a[href='https://stream.example.com/live']").is_visible()
    assert page.locator("iframe").count() == 0
    screenshot("events-street-action-nojs")
    page.goto("/en/events/hosted/")
    screenshot("events-hosted-map")
    recorder.assert_clean()


def test_the_campaign_home_shows_the_street_action_and_the_meeting(
    page_with_js, recorder, screenshot
):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    page = page_with_js
    page.goto("/en/")
    street = page.locator("#event-berlin-street-action")
    assert "Pariser Platz" in street.inner_text() and "Berlin time" in street.inner_text()
    assert street.locator("a[href^='https://www.openstreetmap.org/']").count() == 1
    meeting = page.locator("#event-online-meeting-day-of-action")
    assert "Brussels time" in meeting.inner_text() and "Russian" in meeting.inner_text()
    screenshot("events-campaign-home-blocks", page)
    page.goto("/en/events/hosted/")
    assert page.locator("svg.world-map circle.world-map__pin").count() == 2
    assert page.locator("#country-NL").inner_text() == "Netherlands"
    screenshot("events-hosted-demo-map", page)
    recorder.assert_clean()


def assert_nothing_foreign_or_refused(recorder) -> None:
    """The page sent back with mistakes answers 400, which the console reports: the rest of
    ``assert_clean()``."""
    assert recorder.foreign_requests() == []
    assert recorder.csp_violations() == []
    assert recorder.page_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_proposal_sent_back_puts_the_keyboard_on_its_summary_of_mistakes(
    request, recorder, screenshot, javascript
):
    """The page comes back at its top; a keyboard user starts from the summary, whose link
    leads to the field, instead of from the skip link."""
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    page.goto("/en/events/hosted/propose/")
    page.fill("#id_title", "Vigil at the embassy")
    page.fill("#id_city", "Warsaw, PL")
    page.fill("#id_place", "ul. Wiertnicza 58")
    page.fill("#id_starts_at", "2030-04-19T18:00")
    page.fill("#id_ends_at", "2030-04-19T17:00")  # before it starts
    page.fill("#id_expected_size", "20")
    page.fill("#id_contact", "+48 600 000 000")
    page.fill("#id_name", "Browser Person")
    page.fill("#id_email", "host@example.org")
    page.click("main form.event-form button[type=submit]")
    expect(page.locator(".form-errors")).to_be_focused()
    screenshot(f"events-proposal-mistake-{request.node.callspec.id}")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_ends_at")).to_be_focused()
    assert_nothing_foreign_or_refused(recorder)


def test_a_registration_sent_back_puts_the_keyboard_on_its_summary_of_mistakes(
    page_with_js, recorder
):
    """The form's address ends in #register, which makes the browser skip autofocus: our
    script moves the focus instead."""
    online_meeting()
    page = page_with_js
    page.goto("/en/events/meeting/")
    page.fill("#id_name", "   ")  # passes the browser's check, not ours
    page.fill("#id_email", "person@example.org")
    page.click("#register button[type=submit]")
    assert page.url.endswith("#register")
    expect(page.locator(".form-errors")).to_be_focused()
    assert_nothing_foreign_or_refused(recorder)
