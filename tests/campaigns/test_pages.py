from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from picketline.campaigns import blocks
from picketline.campaigns.models import Demand, Organisation, TimelineEntry
from tests.campaigns.helpers import make_action, make_campaign, make_contact, make_hashtag

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "be", "de"]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def campaign():
    campaign = make_campaign(
        title_de="Gewerkschaftsarbeit ist kein Verbrechen",
        title_be="Прафсаюзная праца — не злачынства",
    )
    make_action(campaign, title_ru="Напишите правительству", cta_label_ru="Написать письмо")
    make_hashtag(campaign)
    make_contact(campaign, email="press@example.org")
    Organisation.objects.create(campaign=campaign, name_en="Salidarnast e.V.")
    return campaign


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_the_home_page_in_each_language(client, campaign, language):
    html = page(client, f"/{language}/")
    assert f'<html lang="{language}">' in html
    assert campaign.title_en in html or getattr(campaign, f"title_{language}") in html
    assert f'href="/{language}/actions/write/"' in html
    assert f'href="/{language}/letters/release/"' in html  # the call to action
    assert "Salidarnast e.V." in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_each_action_page_with_its_call_to_action(client, campaign, language):
    html = page(client, f"/{language}/actions/write/")
    assert f'class="button button--large" href="/{language}/letters/release/"' in html
    assert "<p>First paragraph.</p>" in html and "<p>Second paragraph.</p>" in html


def test_it_shows_the_interface_in_the_visitors_language(client, campaign):
    assert "Was Sie tun können" in page(client, "/de/")
    assert "Что вы можете сделать" in page(client, "/ru/")
    assert "Што вы можаце зрабіць" in page(client, "/be/")


def test_it_shows_the_translation_when_there_is_one(client, campaign):
    html = page(client, "/ru/")
    assert "Профсоюзная работа — не преступление" in html
    assert "Напишите правительству" in html


def test_it_marks_english_fallback_visibly(client, campaign):
    html = page(client, "/ru/")
    # The slogan has no Russian text: shown in English, marked as English, with a note.
    assert '<span class="untranslated" lang="en">Free them all</span>' in html
    assert "Пока не переведено — показано на английском" in html
    # English pages never carry the note.
    assert 'class="untranslated"' not in page(client, "/en/")


def test_it_links_phone_and_email_of_contacts(client, campaign):
    html = page(client, "/en/")
    assert '<a href="tel:+4915203268972">+49 1520 3268972</a>' in html
    assert '<a href="mailto:press@example.org">press@example.org</a>' in html


def test_it_leaves_out_an_email_link_when_there_is_none(client, campaign):
    campaign.contacts.update(email="")
    assert "mailto:" not in page(client, "/en/")


@pytest.mark.parametrize(
    ("moment", "label", "doa"),
    [
        ((2024, 3, 1, 12), "Campaign starts soon", "In 49 days"),
        ((2024, 4, 18, 12), "Campaign running", "In 1 day"),
        ((2024, 4, 19, 12), "Campaign running", "Today!"),
        ((2024, 5, 1, 12), "Campaign ended", "This day has passed."),
    ],
)
def test_it_shows_the_campaign_status_from_the_clock(client, campaign, moment, label, doa):
    with time_machine.travel(datetime(*moment, tzinfo=UTC), tick=False):
        html = page(client, "/en/")
    assert label in html
    assert doa in html


def test_it_shows_timeline_and_important_dates_with_their_status(client, campaign):
    TimelineEntry.objects.create(campaign=campaign, date=date(2024, 3, 19), title_en="Start")
    TimelineEntry.objects.create(
        campaign=campaign, date=date(2024, 4, 19), title_en="Day of Action", important=True
    )
    with time_machine.travel(datetime(2024, 4, 1, 12, tzinfo=UTC), tick=False):
        html = page(client, "/en/")
    assert "timeline__entry--past" in html
    assert "timeline__entry--upcoming timeline__entry--important" in html
    assert html.count("Day of Action</p>") == 2  # in the timeline and in important dates
    assert "Important dates" in html


def test_it_answers_404_for_an_unknown_action(client, campaign):
    assert client.get("/en/actions/nope/").status_code == 404


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Nothing published yet"), ("ru", "Здесь пока ничего не опубликовано")],
)
def test_before_any_campaign_exists_the_home_page_says_so(client, language, said):
    response = client.get(f"/{language}/")
    assert response.status_code == 404
    assert said in response.content.decode()


def test_it_rejects_post(client, campaign):
    assert client.post("/en/").status_code == 405
    assert client.post("/en/actions/write/").status_code == 405


def test_it_places_other_apps_blocks_by_their_order(
    client, campaign, monkeypatch, settings, tmp_path
):
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "count.html").write_text('<p class="probe">{{ held }} held</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    installed = blocks.providers()

    def probe(campaign, request):
        return [blocks.Block("probe/count.html", {"held": 41}, order=250)]

    monkeypatch.setattr(blocks, "providers", lambda: (*installed, probe))
    Demand.objects.create(campaign=campaign, text_en="Free them")
    html = page(client, "/en/")
    assert '<p class="probe">41 held</p>' in html
    # 250 sits between the campaign's demands (200) and its actions (300).
    assert html.index('id="demands"') < html.index('class="probe"') < html.index('id="actions"')


def test_it_finds_the_campaign_blocks_of_installed_apps():
    from picketline.campaigns import campaign_blocks

    assert campaign_blocks.blocks in blocks.providers()


def test_it_names_the_campaign_in_the_header_of_every_page(client, campaign):
    assert '<a class="brand" href="/de/">Gewerkschaftsarbeit ist kein Verbrechen</a>' in page(
        client, "/de/actions/write/"
    )


def test_it_names_the_platform_in_the_header_before_there_is_a_campaign(rf):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("web/base.html", request=rf.get("/en/"))
    assert '<a class="brand" href="/en/">Picketline</a>' in html


def test_it_links_each_page_to_its_other_languages(client, campaign):
    html = page(client, "/de/actions/write/")
    for language in LANGUAGES:
        assert (
            f'<link rel="alternate" hreflang="{language}" '
            f'href="http://testserver/{language}/actions/write/">' in html
        )
        assert f'href="/{language}/actions/write/" hreflang="{language}"' in html
    assert 'hreflang="de" lang="de" aria-current="true"' in html


def test_it_answers_head_like_get(client, campaign):
    assert client.head("/en/").status_code == 200
    assert client.head("/en/actions/write/").status_code == 200


def test_it_writes_belarusian_dates_in_the_official_orthography(client, campaign):
    TimelineEntry.objects.create(campaign=campaign, date=date(2024, 12, 4), title_en="Later")
    html = page(client, "/be/")
    assert "4 снежня 2024" in html  # not Django's "сьнежня", nor the English "Dec. 4"
    assert "19 сакавіка 2024" in html


def test_it_marks_fallback_paragraphs_as_english(client, campaign):
    html = page(client, "/de/")
    assert (
        '<div class="untranslated" lang="en"><p>A campaign for jailed trade unionists.</p></div>'
        '<p class="untranslated-note">Noch nicht übersetzt — auf Englisch angezeigt</p>'
    ) in html


def test_it_escapes_what_organisers_write(client, campaign):
    campaign.slogan_ru = '<script src="https://evil.example/x.js"></script>'
    campaign.save()
    html = page(client, "/ru/")
    assert '<script src="https://evil.example' not in html
    assert "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;" in html
