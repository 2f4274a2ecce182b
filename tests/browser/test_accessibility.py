"""Every public page, in every language, has no serious or critical accessibility violation as
axe-core sees it in Chromium. axe-core comes from npm (``scripts/install_axe`` puts it in
``.test-tools/``, which git ignores); the test injects it into each page, the site never
serves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.harness import ROOT
from tests.fixtures.public_pages import public_paths

pytestmark = pytest.mark.browser

LANGUAGES = [code for code, _name in settings.LANGUAGES]
AXE = ROOT / ".test-tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run scripts/install_axe"
    return Path(AXE).read_text(encoding="utf-8")


def violations(page, axe_source: str) -> list[str]:
    """Serious and critical violations on the page as "rule: selector (help)"."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {' '.join(map(str, node['target']))} ({violation['help']})"
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def test_axe_reports_a_violation_when_there_is_one(live_server, page_with_js, axe_source):
    page_with_js.set_content('<html lang="en"><body><main><a href="/x"></a></main></body></html>')
    assert any(line.startswith("link-name:") for line in violations(page_with_js, axe_source))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_has_a_serious_accessibility_violation(
    demo, page_with_js, recorder, axe_source, language
):
    found = {}
    paths = public_paths(language)
    assert len(paths) > 20, paths
    for path in paths:
        response = page_with_js.goto(path)
        assert response is not None and response.status == 200, path
        problems = violations(page_with_js, axe_source)
        if problems:
            found[path] = problems
    assert found == {}
    recorder.assert_clean()
