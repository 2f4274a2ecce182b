"""Fixtures for browser tests: headless Debian Chromium driven by Playwright, against
pytest-django's live server.

- ``browser``: one Chromium per test module.
- ``recorder``: a ``harness.Recorder`` for the live server's origin (requests, console).
- ``page_with_js`` / ``page_without_js``: a fresh page in its own context, watched by
  ``recorder``; requests to other origins are aborted and recorded.
- ``screenshot(name, page=None)``: saves ``test-artefacts/<name>.png`` of the given page (by
  default the last page a fixture opened in this test) and returns the path.
- ``demo``: the demo campaign loaded into the live server's database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Recorder, artefact_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls from the test; allowed while (and only while) the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def recorder(live_server) -> Recorder:
    return Recorder(origin=live_server.url.rstrip("/").lower())


@pytest.fixture
def _opened_pages() -> list[Page]:
    return []


def _open_page(
    browser: Browser, recorder: Recorder, opened: list[Page], javascript: bool
) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=javascript,
        base_url=recorder.origin,
        viewport={"width": 1280, "height": 900},
        service_workers="block",
    )
    recorder.attach(context)
    page = context.new_page()
    opened.append(page)
    yield page
    context.close()


@pytest.fixture
def page_with_js(browser, recorder, _opened_pages) -> Iterator[Page]:
    yield from _open_page(browser, recorder, _opened_pages, javascript=True)


@pytest.fixture
def page_without_js(browser, recorder, _opened_pages) -> Iterator[Page]:
    yield from _open_page(browser, recorder, _opened_pages, javascript=False)


@pytest.fixture
def screenshot(_opened_pages) -> Callable[..., Path]:
    def take(name: str, page: Page | None = None) -> Path:
        target = page or (_opened_pages[-1] if _opened_pages else None)
        assert target is not None, "open a page (page_with_js / page_without_js) first"
        path = artefact_path(name)
        target.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(live_server) -> None:
    call_command("load_demo", verbosity=0)
