"""The campaign as a visitor's browser sees it: the home page and every action page, in every
language, with JavaScript on and off — and not one request to anybody else."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from picketline.campaigns.models import Campaign

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def public_paths(language: str) -> list[tuple[str, str]]:
    """(name, path) of the home page and of each action page of the current campaign."""
    campaign = Campaign.objects.current()
    assert campaign is not None, "the demo has a current campaign"
    slugs = list(campaign.actions.values_list("slug", flat=True))
    assert slugs, "the demo campaign has supporter actions"
    with translation.override(language):
        paths = [("home", reverse("campaigns:home"))]
        paths += [(slug, reverse("campaigns:action", kwargs={"slug": slug})) for slug in slugs]
    return paths


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_it_shows_every_page_without_asking_another_origin(
    request, demo, recorder, screenshot, language, javascript
):
    page = request.getfixturevalue("page_with_js" if javascript else "page_without_js")
    mode = "js" if javascript else "no-js"
    for name, path in public_paths(language):
        assert path.startswith(f"/{language}/")
        recorder.clear()
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        assert page.locator("h1").first.inner_text().strip(), path
        screenshot(f"{language}-{mode}-{name}")
        recorder.assert_clean()
