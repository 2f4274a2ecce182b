"""The campaign home page in a real browser: copying hashtags, sharing to Mastodon without
JavaScript, and a focus that can be seen. Reuses the shared harness in ``tests/browser`` (see conftest.py)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_copies_a_hashtag_with_one_click(demo, page_with_js, recorder, screenshot):
    page_with_js.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=recorder.origin
    )
    page_with_js.goto("/en/#share")
    hashtag = page_with_js.locator(".hashtag").first
    button = hashtag.get_by_role("button", name="Copy")
    button.click()
    # The copy is a promise: wait for the status it sets (up to Playwright's timeout).
    expect(hashtag.locator(".copy__status")).to_have_text("Copied")
    assert page_with_js.evaluate("navigator.clipboard.readText()") == "#FreeBelarusUnionists"
    screenshot("campaigns-hashtag-copied")
    recorder.assert_clean()


def test_it_offers_hashtags_to_select_without_javascript(demo, page_without_js, recorder):
    page_without_js.goto("/ru/")
    field = page_without_js.locator("input.copy__text").first
    assert field.get_attribute("readonly") is not None
    assert field.input_value() == "#FreeBelarusUnionists"
    assert not page_without_js.locator("button.copy__button").first.is_visible()
    recorder.assert_clean()


def test_it_shares_to_mastodon_without_javascript_or_leaving_the_site(
    demo, page_without_js, recorder, screenshot
):
    page_without_js.goto("/de/")
    form = page_without_js.locator("form.mastodon-form")
    form.get_by_label("In Mastodon teilen: Ihre Instanz").fill("https://chaos.social/@me")
    form.get_by_role("button").click()
    page_without_js.wait_for_url("**/de/share/mastodon/**")
    link = page_without_js.get_by_role("link", name="Weiter zu chaos.social")
    assert link.get_attribute("href").startswith("https://chaos.social/share?text=")
    assert link.get_attribute("rel") == "noopener noreferrer"
    screenshot("campaigns-mastodon-share-de")
    recorder.assert_clean()  # nothing was requested from chaos.social


def test_it_shows_where_the_keyboard_focus_is(demo, page_with_js, recorder, screenshot):
    page_with_js.goto("/en/")
    page_with_js.keyboard.press("Tab")
    focused = page_with_js.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.className, s.outlineStyle, s.outlineWidth, e.getBoundingClientRect().left]; })()"
    )
    assert focused[0] == "skip-link"
    assert focused[1] == "solid" and focused[2] == "3px"
    assert focused[3] >= 0  # the skip link comes into view
    for _ in range(4):
        page_with_js.keyboard.press("Tab")
    style = page_with_js.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style == "solid"
    screenshot("campaigns-keyboard-focus", page_with_js)
    recorder.assert_clean()
