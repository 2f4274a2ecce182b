"""In Chromium, at the door: without JavaScript the organiser searches a name and checks the
person in; with JavaScript the camera's scanner submits a code through the page's own form (the
test hands it the text a camera would read)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from playwright.sync_api import Page

from picketline.events.models import Registration
from picketline.supporters.models import Supporter
from tests.browser.test_accessibility import violations
from tests.events.helpers import confirmed_registration, street_action
from tests.fixtures.accounts import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = "/en/events/organise/berlin/check-in/"


def at_the_door(page: Page, origin: str) -> None:
    user = User.objects.create_user("door", password="x" * 12, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="check_in_registrants"))
    client = Client()
    login_verified(client, user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": origin}]
    )


def seated_person() -> Registration:
    event = street_action(registration_required=True)
    Supporter.get_or_create_for_email("ales@example.org", name="Aleś Bialiacki")
    return confirmed_registration(event, "ales@example.org")


def test_without_javascript_the_door_searches_by_name(page_without_js, recorder, screenshot):
    ales = seated_person()
    page = page_without_js
    at_the_door(page, recorder.origin)
    page.goto(DESK)
    assert not page.locator("[data-scanner]").is_visible()  # no camera without JavaScript
    page.fill("#search-q", "ales")
    page.click("form[role=search] button[type=submit]")
    assert "Aleś Bialiacki" in page.content()
    page.click("table.registrants button:has-text('Check in')")
    assert "1 of 1 with a place have arrived." in page.content()
    screenshot("events-check-in-nojs")
    ales.refresh_from_db()
    assert ales.checked_in_at is not None
    page.click("table.registrants button:has-text('Undo')")
    ales.refresh_from_db()
    assert ales.checked_in_at is None
    recorder.assert_clean()


def test_with_javascript_a_scanned_code_checks_the_person_in(
    page_with_js, recorder, screenshot, axe_source
):
    ales = seated_person()
    page = page_with_js
    at_the_door(page, recorder.origin)
    page.goto(DESK)
    assert page.locator("[data-scanner-start]").is_visible()
    assert violations(page, axe_source) == []
    with page.expect_navigation():
        page.evaluate(
            "text => document.dispatchEvent(new CustomEvent('picketline:scanned', {detail: text}))",
            ales.check_in_url(),
        )
    assert "Checked in" in page.content() and "Aleś Bialiacki" in page.content()
    page.fill("#search-q", "ales")
    page.click("form[role=search] button[type=submit]")
    assert "Undo" in page.content()
    assert violations(page, axe_source) == []  # the outcome, the scanner and a search's table
    screenshot("events-check-in-scanned")
    ales.refresh_from_db()
    assert ales.checked_in_at is not None
    recorder.assert_clean()
