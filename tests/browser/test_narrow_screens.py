"""Every public page, in every language, fits a phone 320 px wide (WCAG's reflow width), with
JavaScript on and off: nothing pushes the page sideways, so no line of it is read by scrolling
left and right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.fixtures.public_pages import public_paths

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]
NARROW = {"width": 320, "height": 640}

# The elements that reach past the right edge of the viewport, as "tag.class (right edge)".
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > width + 0.5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`);
}"""


def _narrow_page(browser, recorder, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=javascript,
        base_url=recorder.origin,
        viewport=NARROW,
        service_workers="block",
    )
    recorder.attach(context)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_no_public_page_is_wider_than_a_narrow_phone(browser, recorder, demo, javascript, language):
    for page in _narrow_page(browser, recorder, javascript):
        too_wide = {}
        for path in public_paths(language):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            elements = page.evaluate(TOO_WIDE)
            if elements:
                too_wide[path] = elements[:5]
        assert not too_wide, "\n".join(f"{path}: {found}" for path, found in too_wide.items())
        recorder.assert_clean()
