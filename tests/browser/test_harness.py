"""The harness itself: it must see a request to another origin and a CSP violation, and stay
quiet on a clean page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.browser.urls")]


@pytest.mark.parametrize("fixture", ["page_with_js", "page_without_js"])
def test_it_passes_a_clean_page(request, fixture, recorder, screenshot):
    page = request.getfixturevalue(fixture)
    response = page.goto("/clean/")
    assert response.status == 200
    recorder.assert_clean()
    expected = ["/clean/", "/static/web/site.css"]
    if fixture == "page_with_js":
        expected.append("/static/web/site.js")
    assert sorted(recorder.requests) == [f"{recorder.origin}{path}" for path in expected]
    assert screenshot(f"harness-clean-{fixture}").stat().st_size > 0


@pytest.mark.parametrize("fixture", ["page_with_js", "page_without_js"])
def test_it_catches_other_origins_and_inline_style(request, fixture, recorder):
    page = request.getfixturevalue(fixture)
    page.goto("/leaky/")
    assert recorder.foreign_requests() == ["https://tracker.example/pixel.gif"]
    assert any("inline style" in line for line in recorder.csp_violations())
    with pytest.raises(AssertionError):
        recorder.assert_clean()
