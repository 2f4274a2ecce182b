"""The footer of every page: "This site sets no tracking cookies and loads nothing from other
websites unless you ask it to."

Proven on the demo campaign with Django's test client, so it runs without a browser:
- browsing sets no cookie at all; a page with a form sets Django's CSRF cookie, with no expiry
  date, so the browser keeps it for its session only (the privacy policy says so), and opening the privacy page sets the
  session cookie that keeps it open. Nothing else, ever;
- no page names another origin in anything a browser fetches by itself (scripts, styles,
  pictures, frames, media), and the Content-Security-Policy forbids it too; the one exception
  is the live broadcast, whose origin is allowed in frames only on pages that offer its player,
  which our script loads only when the visitor presses "Play here" (no address does it).

The pages are rendered once for the module (``rendered``): every public page in every
language, partners' embeds included, pages as a query changes them, and a supporter's own
pages (the privacy page, an event registration's page).
(tests/browser/test_public_pages.py and tests/events/test_browser.py check the same with a
real browser's network log.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from picketline.campaigns.models import Campaign
from picketline.events.models import Event
from picketline.letters.models import LetterAction
from picketline.mail.outbox import send_due
from picketline.partners.models import Partner
from picketline.submissions.models import ActionReport
from picketline.supporters.flow import privacy_token
from picketline.supporters.models import Supporter
from tests.events.helpers import confirmed_registration
from tests.fixtures.public_pages import public_paths
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


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


LANGUAGES = [code for code, _name in settings.LANGUAGES]
# A demo supporter with something to show on their privacy page (a video); the fixture
# registers them for the event with the broadcast as well.
SUPPORTER = "demo.video.one@example.org"
# The Content-Security-Policy names no other origin on any page, in any directive but these
# two (the broadcast's player, a partner's sites framing an embed), checked apart.
SAME_ORIGIN_ONLY = {"'self'", "'none'", "data:"}
OTHER_ORIGINS_ALLOWED = {"frame-src", "frame-ancestors"}
# Directives that must be there: without them a browser would allow any origin.
REQUIRED = {"default-src", "script-src", "style-src", "img-src", "connect-src", "media-src"}


@dataclass(frozen=True)
class Page:
    path: str
    status: int
    cookies: SimpleCookie
    html: str
    policy: dict[str, str]
    anonymous: bool  # False: the privacy page, seen with its session


@dataclass(frozen=True)
class Site:
    pages: dict[str, list[Page]]  # by language
    event_paths: dict[str, str]  # the page of the event with the broadcast, by language
    event_slug: str
    event_titles: dict[str, str]  # its title, by language: how the privacy page names it

    def page(self, language: str, path: str) -> Page:
        return next(page for page in self.pages[language] if page.path == path)


def page_of(path: str, response, *, anonymous: bool = True) -> Page:
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return Page(
        path, response.status_code, response.cookies, response.content.decode(), policy, anonymous
    )


def broadcast_event() -> Event:
    return next(e for e in Event.objects.published() if e.broadcast_embed_url)


def pages_that_a_query_changes(language: str) -> list[str]:
    """Pages as a query (a link someone shares, a GET form) changes them."""
    campaign = Campaign.objects.current()
    partner = Partner.objects.active().first()
    letter = LetterAction.objects.published().first()
    event = broadcast_event()
    assert campaign and partner and letter
    hashtag = campaign.hashtags.values_list("text", flat=True).first()
    with translation.override(language):
        return [
            f"{reverse('events:detail', args=[event.slug])}?player=1",
            f"{reverse('events_embed:detail', args=[partner.slug, event.slug])}?player=1",
            f"{reverse('letters:action', args=[letter.slug])}?country=DE",
            f"{reverse('letters:action', args=[letter.slug])}?country=BY",  # the safety page
            f"{reverse('campaigns:home')}?via={partner.slug}&src=link",
            f"{reverse('campaigns:home')}?src=share:mastodon",
            f"{reverse('campaigns:share_mastodon')}?instance=mastodon.social&tag={hashtag}",
            f"{reverse('submissions:endorsements')}?instance=mastodon.social",
            f"{reverse('submissions:videos')}?tag={hashtag}",
            f"{reverse('submissions:reports')}?kind={ActionReport.Kind.values[0]}",
            f"{reverse('registers:people')}?status=in_custody&q=a",
            f"{reverse('registers:companies')}?sanctions=sanctioned",
        ]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Iterator[Site]:
    """Every page in every language, each asked for once by a new visitor (the privacy page by
    its supporter), on the demo data, in a transaction rolled back afterwards."""
    pages: dict[str, list[Page]] = {}
    event_paths: dict[str, str] = {}
    event_titles: dict[str, str] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        supporter = Supporter.objects.for_email(SUPPORTER)
        assert supporter is not None
        event = broadcast_event()
        registration = confirmed_registration(event, SUPPORTER)
        privacy = Client()
        opened = privacy.post(reverse("supporters:privacy_open", args=[privacy_token(supporter)]))
        assert opened.status_code == 302
        for language in LANGUAGES:
            paths = [*public_paths(language), *pages_that_a_query_changes(language)]
            with translation.override(language):
                mine = reverse("events:mine", args=[registration.token()])
                privacy_page = reverse("supporters:mine")
                event_paths[language] = reverse("events:detail", args=[event.slug])
                event_titles[language] = str(event.title)
            paths += [mine, f"{mine}?player=1"]
            pages[language] = [page_of(path, Client().get(path)) for path in paths]
            pages[language].append(
                page_of(privacy_page, privacy.get(privacy_page), anonymous=False)
            )
        site = Site(pages, event_paths, event.slug, event_titles)
        transaction.set_rollback(True)
    cache.clear()
    yield site


def test_it_renders_every_kind_of_page_in_every_language(rendered):
    for language in LANGUAGES:
        pages = rendered.pages[language]
        assert [page.path for page in pages if page.status != 200] == [], language
        paths = [page.path for page in pages]
        assert len(paths) > 40, language
        assert all(path.startswith(f"/{language}/") for path in paths), language
        assert any(f"/{language}/embed/" in path for path in paths), language
        assert any("/events/r/" in path for path in paths), language
        assert f"/{language}/me/privacy/mine/" in paths, language
        # the supporter's own data is on their privacy page: their video and registration
        privacy_page = next(page for page in pages if not page.anonymous)
        assert SUPPORTER in privacy_page.html, language
        title = html.escape(rendered.event_titles[language])
        assert title in privacy_page.html and "WEBVTT" in privacy_page.html


def test_browsing_sets_no_cookie_and_a_form_sets_only_the_csrf_cookie(rendered):
    seen: set[str] = set()
    forms = 0
    for language in LANGUAGES:
        for page in rendered.pages[language]:
            if not page.anonymous:
                continue  # the privacy page's session: the tests below
            cookies = set(page.cookies)
            has_form = 'name="csrfmiddlewaretoken"' in page.html
            forms += has_form
            assert cookies == ({settings.CSRF_COOKIE_NAME} if has_form else set()), page.path
            if has_form:
                # No expiry date: the browser keeps it for its session only.
                csrf = page.cookies[settings.CSRF_COOKIE_NAME]
                assert csrf["max-age"] == "" and csrf["expires"] == "", page.path
                assert csrf["httponly"], page.path
            seen |= cookies
    assert forms > 40
    assert seen == {settings.CSRF_COOKIE_NAME}


def test_the_only_other_cookie_is_the_session_of_an_opened_privacy_page(client, smtp_server):
    from picketline.supporters.models import Consent

    person, _ = Supporter.get_or_create_for_email("cookie.person@example.org", name="Cookie Person")
    consent = Consent.record(
        person, Consent.Purpose.ORGANISER_UPDATES, "Keep me informed", "en", "/en/", confirmed=True
    )
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
    # Withdrawing a consent says so at the top of the page: a notice kept in the session, not
    # in a cookie of its own naming what was withdrawn.
    withdrawn = client.post(reverse("supporters:withdraw", args=[consent.pk]), follow=True)
    assert "You have withdrawn your consent" in withdrawn.content.decode()
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
    # (Counted to the moment the page closes: a second may have passed since it opened.)
    assert 30 * 60 - 5 <= int(opened.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= 30 * 60
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


def test_what_is_done_on_the_privacy_page_does_not_keep_its_session_longer(client, smtp_server):
    """Withdrawing a consent near the end of the thirty minutes writes the session again (the
    notice at the top of the page is kept in it): its cookie and the stored session still end
    when the page closes, not thirty minutes after the last change."""
    from datetime import timedelta

    import time_machine
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from picketline.supporters.models import Consent

    person, _ = Supporter.get_or_create_for_email("cookie.person@example.org", name="Cookie Person")
    consent = Consent.record(
        person, Consent.Purpose.ORGANISER_UPDATES, "Keep me informed", "en", "/en/", confirmed=True
    )
    client.post("/en/me/privacy/", {"email": "cookie.person@example.org"})
    send_due()
    mail = smtp_server.to("cookie.person@example.org")[0]
    opened_at = timezone.now()
    client.post(path_of(links_in(mail.get_body(("plain",)).get_content())[0]))
    with time_machine.travel(opened_at + timedelta(minutes=29)):
        withdrawn = client.post(reverse("supporters:withdraw", args=[consent.pk]))
        assert int(withdrawn.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= 60
        page = client.get(reverse("supporters:mine"))
        assert "You have withdrawn your consent" in page.content.decode()
        assert int(page.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= 60
    assert Session.objects.get().expire_date <= opened_at + timedelta(minutes=31)


def test_no_page_makes_the_browser_fetch_from_another_website(rendered):
    framed = 0
    for language in LANGUAGES:
        for page in rendered.pages[language]:
            others = [url for url in fetched_urls(page.html) if is_other_origin(url)]
            assert others == [], page.path
            assert REQUIRED <= page.policy.keys(), page.path
            assert page.policy["default-src"] == "'self'", page.path
            for directive, value in page.policy.items():
                if directive not in OTHER_ORIGINS_ALLOWED:
                    assert set(value.split()) <= SAME_ORIGIN_ONLY, (page.path, directive)
            # Frames from another origin: only the broadcast's, only where its player waits
            # for a click (our script makes the frame; the page has none).
            embeds = {origin_of(url) for url in re.findall(r'data-embed="([^"]+)"', page.html)}
            expected = " ".join(sorted(embeds)) or "'none'"
            assert page.policy["frame-src"] == expected, page.path
            assert "data-autoplay" not in page.html, page.path
            framed += bool(embeds)
            # Only a partner's embed may itself be framed, by the partner's sites.
            if f"/{language}/embed/" not in page.path:
                assert page.policy["frame-ancestors"] == "'none'", page.path
    assert framed >= 3 * len(LANGUAGES)  # the event page, its embed, the registrant's page


def test_the_broadcast_comes_from_its_website_only_when_asked_for(rendered):
    for language in LANGUAGES:
        event_path = rendered.event_paths[language]
        event = rendered.page(language, event_path)
        origin = origin_of(re.search(r'data-embed="([^"]+)"', event.html)[1])
        with translation.override(language):
            home = rendered.page(language, reverse("campaigns:home"))
            sentence = gettext(
                "Nothing is loaded from %(origin)s until you choose to play the broadcast."
            ) % {"origin": origin}
        for path in (event_path, f"{event_path}?player=1"):
            page = rendered.page(language, path)
            assert origin in page.policy["frame-src"], path  # allowed in frames, on this page
            assert not [url for url in fetched_urls(page.html) if origin in url], path
            assert "data-player-load" in page.html, path  # our script loads it on a click
            assert sentence in page.html, path
        assert origin not in home.policy["frame-src"]
        # the home page's "Watch on our page" leads to the button, not to the player
        assert f'href="{event_path}#broadcast"' in home.html, language
