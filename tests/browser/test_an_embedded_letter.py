"""A letter embedded on a partner's page, on another origin (another loopback host and port),
sent with JavaScript off: the frame shows it, its form posts without any cookie, and the letter
records the embed. A page on an origin the partner did not register gets no frame."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from picketline.letters.models import Letter
from picketline.partners.models import Partner
from picketline.supporters.models import Consent
from tests.letters.helpers import embassy_action, target

pytestmark = pytest.mark.browser


class PartnerSite:
    """A partner's page on 127.0.0.1 (our live server is on localhost: another site)."""

    def __init__(self, embed_url: str) -> None:
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title>"
            "</head><body><h1>A partner's campaign page</h1>"
            f"<iframe src='{embed_url}' title='Letter' width='900' height='2400'></iframe>"
            "</body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def embed_url(live_server) -> str:
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    return f"{live_server.url}/en/embed/ituc/letters/{action.slug}/"


@pytest.fixture
def sites(embed_url) -> Iterator[tuple[PartnerSite, PartnerSite]]:
    registered, elsewhere = PartnerSite(embed_url), PartnerSite(embed_url)
    Partner.objects.create(name="ITUC", slug="ituc", origins=registered.origin)
    yield registered, elsewhere
    registered.close()
    elsewhere.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1000, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_a_letter_is_sent_from_the_partners_page_without_javascript(sites, page):
    registered, _elsewhere = sites
    page.goto(registered.origin + "/")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("ITUC supports")).to_be_visible()
    frame.locator("#id_name").fill("Anna Schmidt")
    frame.locator("#id_email").fill("anna@example.net")
    frame.locator("#id_country").select_option("DE")
    frame.locator("#id_consent_send_in_my_name").check()
    frame.locator("input[name=consent_partner]").check()
    frame.get_by_role("button", name="Preview the letter").click()
    frame.get_by_role("button", name="Send: confirm by e-mail").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Please check your e-mail")
    letter = Letter.objects.get()
    assert (letter.partner.slug, letter.source) == ("ituc", "embed")
    assert Consent.objects.get(purpose=Consent.Purpose.PARTNER_UPDATES).partner.slug == "ituc"
    assert page.context.cookies() == []  # no cookie on either site


def test_a_page_the_partner_did_not_register_gets_no_frame(sites, page):
    _registered, elsewhere = sites
    page.goto(elsewhere.origin + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    framed = page.frames[1]
    framed.wait_for_load_state()
    assert "ITUC supports" not in framed.content()
    assert not Letter.objects.exists()
