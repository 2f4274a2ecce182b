"""The footer of every page: "This site sets no tracking cookies and loads nothing from other
websites unless you ask it to."

Proven on the demo campaign with Django's test client, so it runs without a browser:
- browsing sets no cookie at all; a page with a form sets Django's CSRF cookie, and opening
  the privacy page sets the session cookie that keeps it open. Nothing else, ever;
- no page names another origin in anything a browser fetches by itself (scripts, styles,
  pictures, frames, media), and the Content-Security-Policy forbids it too; the one exception
  is the live broadcast, whose origin is allowed in frames only on its event page and is
  loaded by our script only when the visitor presses "Play here".
(tests/browser/test_public_pages.py checks the same with a real browser's network log.)
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from picketline.campaigns.models import Campaign
from picketline.events.models import Event
from picketline.mail.outbox import send_due
from picketline.supporters.models import Supporter
from tests.supporters.helpers import links_in, path_of

pytestmark = pytest.mark.django_db

# What a browser fetches by itself when it shows a page.
FETCHED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src", "srcset"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
FETCHED_LINKS = {"stylesheet", "icon", "preload", "prefetch", "preconnect", "dns-prefetch"}


class FetchedUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and FETCHED_LINKS & set((values.get("rel") or "").split()):
            self.urls.append(values.get("href") or "")
        for name in FETCHED.get(tag, ()):
            value = values.get(name)
            if value:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
        if "style" in values and "url(" in (values["style"] or ""):
            self.urls.append(values["style"] or "")


def fetched_urls(html: str) -> list[str]:
    parser = FetchedUrls()
    parser.feed(html)
    return parser.urls


def is_other_origin(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme == "data":
        return False
    return bool(parts.netloc) or "url(http" in url or "url(//" in url


@pytest.fixture
def demo_paths() -> list[str]:
    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.current()
    assert campaign is not None
    paths = ["/en/", *(f"/en/actions/{a.slug}/" for a in campaign.actions.all())]
    paths += [event.get_absolute_url() for event in Event.objects.all()]
    paths += [
        "/en/events/",
        "/en/events/hosted/",
        "/en/submit/videos/",
        "/en/submit/endorsements/",
        "/en/submit/reports/",
        "/en/register/",
        "/en/register/companies/",
        "/en/register/open-data/",
        "/en/me/privacy/",
        "/en/me/keep-me-informed/",
        "/en/me/resend/",
    ]
    return paths


def test_browsing_sets_no_cookie_and_a_form_sets_only_the_csrf_cookie(demo_paths):
    seen: set[str] = set()
    pages = 0
    for path in demo_paths:
        response = Client().get(path)
        if response.status_code != 200:
            continue
        pages += 1
        cookies = set(response.cookies)
        has_form = b'name="csrfmiddlewaretoken"' in response.content
        assert cookies == ({settings.CSRF_COOKIE_NAME} if has_form else set()), path
        seen |= cookies
    assert pages >= 15
    assert seen == {settings.CSRF_COOKIE_NAME}


def test_the_only_other_cookie_is_the_session_of_an_opened_privacy_page(client, smtp_server):
    Supporter.get_or_create_for_email("cookie.person@example.org", name="Cookie Person")
    client.post("/en/me/privacy/", {"email": "cookie.person@example.org"})
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    send_due()
    mail = smtp_server.to("cookie.person@example.org")[0]
    open_path = path_of(links_in(mail.get_body(("plain",)).get_content())[0])
    assert settings.SESSION_COOKIE_NAME not in client.get(open_path).cookies

    opened = client.post(open_path)
    assert set(opened.cookies) == {settings.SESSION_COOKIE_NAME}
    session = opened.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert set(client.cookies) == {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
    # Closing the page ends the session: its cookie is deleted, not kept for later visits.
    left = client.post("/en/me/privacy/mine/leave/")
    assert left.cookies[settings.SESSION_COOKIE_NAME].value == ""


def test_the_privacy_page_s_session_lasts_as_long_as_the_page_is_open(client, smtp_server):
    from datetime import timedelta

    import time_machine
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from picketline.jobs.jobs import clear_expired_sessions

    Supporter.get_or_create_for_email("cookie.person@example.org", name="Cookie Person")
    client.post("/en/me/privacy/", {"email": "cookie.person@example.org"})
    send_due()
    mail = smtp_server.to("cookie.person@example.org")[0]
    opened_at = timezone.now()
    opened = client.post(path_of(links_in(mail.get_body(("plain",)).get_content())[0]))
    # The browser keeps the cookie 30 minutes, the database the session as long.
    assert int(opened.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 30 * 60
    stored = Session.objects.get()
    assert opened_at + timedelta(minutes=29) < stored.expire_date
    assert stored.expire_date <= opened_at + timedelta(minutes=31)
    # A visit after that: the page says it is over, and the cookie goes; the worker's hourly
    # job deletes the expired session.
    with time_machine.travel(opened_at + timedelta(minutes=31)):
        over = client.get("/en/me/privacy/mine/")
        assert over.status_code == 403
        assert over.cookies[settings.SESSION_COOKIE_NAME].value == ""
        clear_expired_sessions()
    assert not Session.objects.exists()


def test_no_page_makes_the_browser_fetch_from_another_website(demo_paths):
    for path in demo_paths:
        response = Client().get(path)
        if response.status_code != 200:
            continue
        others = [url for url in fetched_urls(response.content.decode()) if is_other_origin(url)]
        assert others == [], path
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        for directive in ("default-src", "script-src", "style-src", "connect-src", "media-src"):
            assert policy[directive] == "'self'", (path, directive)
        assert policy["img-src"] == "'self' data:", path


def test_the_broadcast_comes_from_its_website_only_when_asked_for(demo_paths):
    event = next(e for e in Event.objects.all() if e.broadcast_embed_url)
    response = Client().get(event.get_absolute_url())
    html = response.content.decode()
    origin = event.broadcast_origin()
    assert origin in response["Content-Security-Policy"]  # allowed in frames, on this page
    assert not [url for url in fetched_urls(html) if origin in url]  # but nothing fetched
    assert f'data-embed="{event.broadcast_embed_url}"' in html  # our script loads it on a click
    assert "Nothing is loaded from" in html
    home = Client().get("/en/")
    assert origin not in home["Content-Security-Policy"]
