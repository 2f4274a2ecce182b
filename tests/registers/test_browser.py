"""The registers as a visitor's browser sees them, with JavaScript on and off: every page
answers, and nothing is requested from another origin (the sources are links, never loaded)."""

from __future__ import annotations

import pytest
from django.conf import settings

from picketline.registers.models import Company, Person

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def register_paths(language: str) -> list[tuple[str, str]]:
    person = Person.objects.published().get(ref="bp001")
    company = Company.objects.published().get(ref="belaruskali")
    base = f"/{language}/register/"
    return [
        ("people", base),
        ("search", f"{base}?q=%D0%AF%D1%80%D0%BE%D1%88%D1%83%D0%BA"),  # "Ярошук"
        ("person", f"/{language}{person.get_absolute_url()[3:]}"),
        ("guidance", f"{base}writing-to-prisoners/"),
        ("companies", f"{base}companies/"),
        ("company", f"/{language}{company.get_absolute_url()[3:]}"),
        ("open-data", f"{base}open-data/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_register_pages_ask_no_other_origin(
    request, demo, recorder, screenshot, language, javascript
):
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    mode = "js" if javascript else "no-js"
    for name, path in register_paths(language):
        recorder.clear()
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        assert page.locator("h1").first.inner_text().strip(), path
        if name == "search":
            assert "Aliaksandr Yarashuk" in page.locator("main").inner_text()
        screenshot(f"registers-{language}-{mode}-{name}")
        recorder.assert_clean()
