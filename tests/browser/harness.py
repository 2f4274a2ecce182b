"""What the browser tests share: how Chromium is started, and the recorder that watches every
request and console message of a page.

Fixtures built on this live in ``tests/browser/conftest.py``; any test module under
``tests/browser/`` gets them (see docs/architecture.md, "Browser tests").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = "/usr/bin/chromium"  # Debian's; the tests never download a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}
CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class Recorder:
    """Every request a page made, every console message and every script error.

    Requests to another origin are recorded and aborted, so a test never reaches the Internet
    even when a page would; ``assert_clean()`` then fails the test."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route(lambda url: self.is_foreign(url), lambda route: route.abort())
        context.on("page", self.watch)

    def watch(self, page: Page) -> None:
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def is_foreign(self, url: str) -> bool:
        if urlsplit(url).scheme in LOCAL_SCHEMES:
            return False
        return origin_of(url) != self.origin

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if self.is_foreign(url)]

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if CSP_MESSAGE.search(line)]

    def errors(self) -> list[str]:
        return [line for line in self.console if line.startswith("error:")] + self.page_errors

    def clear(self) -> None:
        self.requests.clear()
        self.console.clear()
        self.page_errors.clear()

    def assert_clean(self) -> None:
        """No request left our origin, nothing broke the Content-Security-Policy, no script
        failed."""
        foreign = self.foreign_requests()
        assert not foreign, f"requests to another origin: {foreign}"
        violations = self.csp_violations()
        assert not violations, f"Content-Security-Policy violations: {violations}"
        errors = self.errors()
        assert not errors, f"console or script errors: {errors}"


def artefact_path(name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "page"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / f"{safe}.png"
