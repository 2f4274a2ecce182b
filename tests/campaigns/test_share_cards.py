"""Share cards: Open Graph and Twitter meta on public pages, images drawn on our server for the
campaign and each action in every language (Cyrillic included), cached; favicon and manifest."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont
from PIL import Image

from picketline.letters.models import LetterAction, Role
from picketline.lib.share_card import BOLD, REGULAR, SIZE, draw_card
from tests.campaigns.helpers import make_action, make_campaign, make_hashtag
from tests.events.helpers import online_meeting
from tests.letters.helpers import letter_action, target

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "web" / "static" / "web"
TITLES = {
    "en": "Union work is no crime",
    "ru": "Профсоюзная работа — не преступление",
    "be": "Прафсаюзная праца — не злачынства: вызваліце ўсіх",
    "de": "Gewerkschaftsarbeit ist kein Verbrechen – Größe zählt",
}


@pytest.fixture
def campaign():
    campaign = make_campaign(**{f"title_{code}": title for code, title in TITLES.items()})
    make_hashtag(campaign, "FreeBelarusUnionists")
    make_action(campaign, "write", title_en="Write", title_ru="Напишите письмо")
    return campaign


def png(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == SIZE
    return image


def white_pixels(image: Image.Image) -> int:
    colours = image.convert("RGB").getcolors(maxcolors=SIZE[0] * SIZE[1])
    return sum(count for count, colour in colours if colour == (255, 255, 255))


def test_the_fonts_draw_every_letter_of_every_language():
    for path in (BOLD, REGULAR):
        cmap = TTFont(str(path), lazy=True).getBestCmap()
        for title in TITLES.values():
            missing = {c for c in title if not c.isspace() and ord(c) not in cmap}
            assert missing == set(), (path.name, missing)


@pytest.mark.parametrize("language", sorted(TITLES))
def test_the_campaign_card_renders_in_every_language(client, campaign, language):
    image = png(client.get(f"/{language}/card.png"))
    assert white_pixels(image) > 2000  # the title is drawn, not an empty red card
    # The card holds the campaign's title in this language: drawn the same way, it matches.
    expected = Image.open(io.BytesIO(draw_card(TITLES[language], "Free them all", "")))
    title_band = (0, 0, SIZE[0], 330)
    assert image.crop(title_band).tobytes() == expected.crop(title_band).tobytes()


def test_each_language_gets_its_own_card(client, campaign):
    cards = {client.get(f"/{code}/card.png").content for code in TITLES}
    assert len(cards) == len(TITLES)


@pytest.mark.parametrize("language", sorted(TITLES))
def test_each_action_has_a_card_in_every_language(client, campaign, language):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    LetterAction.objects.filter(pk=action.pk).update(
        title_ru="Освободите их", title_be="Вызваліце іх", title_de="Lasst sie frei"
    )
    online_meeting()
    for path in (
        f"/{language}/letters/{action.slug}/card.png",
        f"/{language}/events/meeting/card.png",
        f"/{language}/actions/write/card.png",
    ):
        assert white_pixels(png(client.get(path))) > 500, path


def test_a_card_is_drawn_once_and_then_served_from_the_page_cache(
    client, campaign, django_assert_num_queries
):
    first = client.get("/ru/card.png")
    with django_assert_num_queries(0):
        second = client.get("/ru/card.png")
    assert second.content == first.content
    assert not second.cookies


def test_an_unknown_action_has_no_card(client, campaign):
    assert client.get("/en/letters/nothing/card.png").status_code == 404
    assert client.get("/en/events/nothing/card.png").status_code == 404
    assert client.get("/en/actions/nothing/card.png").status_code == 404


def meta(page: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"', page)
    )


def test_public_pages_carry_open_graph_and_twitter_meta_pointing_at_our_own_cards(client, campaign):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    online_meeting()
    pages = {
        "/ru/": f"{settings.SITE_URL}/ru/card.png",
        f"/en/letters/{action.slug}/": f"{settings.SITE_URL}/en/letters/{action.slug}/card.png",
        "/en/events/meeting/": f"{settings.SITE_URL}/en/events/meeting/card.png",
        "/en/actions/write/": f"{settings.SITE_URL}/en/actions/write/card.png",
        "/en/submit/video/": f"{settings.SITE_URL}/en/card.png",
        "/en/letters/release/confirmed/": f"{settings.SITE_URL}/en/card.png",
    }
    for path, image in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        found = meta(response.content.decode())
        assert found["og:image"] == image, path
        assert found["og:url"] == settings.SITE_URL + path
        assert found["og:title"] and found["og:site_name"]
        assert found["twitter:card"] == "summary_large_image"
        png(client.get(image.removeprefix(settings.SITE_URL)))
    home = meta(client.get("/ru/").content.decode())
    assert home["og:title"] == TITLES["ru"] and home["og:locale"] == "ru"
    letter = meta(client.get(f"/en/letters/{action.slug}/").content.decode())
    assert letter["og:title"] == "Release them"


def test_every_page_names_the_favicon_and_the_manifest(client, campaign):
    page = client.get("/de/").content.decode()
    assert 'rel="icon" href="/static/web/favicon.svg"' in page
    assert 'rel="manifest" href="/de/manifest.webmanifest"' in page
    assert client.get("/favicon.ico")["Location"] == "/static/web/icon-192.png"


def test_the_manifest_names_the_campaign_in_the_pages_language(client, campaign):
    response = client.get("/ru/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == TITLES["ru"] and manifest["start_url"] == "/ru/"
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/web/")
        size = int(icon["sizes"].split("x")[0])
        with Image.open(STATIC / Path(icon["src"]).name) as image:
            assert image.size == (size, size)
