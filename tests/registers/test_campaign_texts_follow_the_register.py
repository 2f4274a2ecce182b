"""What the campaign's pages and letters say about a person comes from the register: a text
mentions ``[[person:REF]]`` and readers see the register's last reported status, in their
language; the demo no longer calls Aliaksandr Yarashuk jailed."""

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.campaigns import demo as campaigns_demo
from picketline.campaigns import mentions
from picketline.campaigns.models import Campaign, SupporterAction
from picketline.letters import demo as letters_demo
from picketline.letters.models import Letter, LetterAction, LetterText
from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo as registers_demo
from picketline.registers.models import Person, Status
from picketline.supporters.models import Supporter

pytestmark = pytest.mark.django_db

SAID = {
    "en": "Aliaksandr Yarashuk (released and expelled Sept. 11, 2025)",
    "ru": "Александр Ярошук (освобождение и высылка из страны: 11 сентября 2025 г.)",
    "be": "Аляксандр Ярашук (вызваленне і высылка з краіны: 11 верасня 2025)",
    "de": "Aliaksandr Yarashuk (freigelassen und ausgewiesen: 11. September 2025)",
}


SAID_RAW = "[[person:bp001]]"


@pytest.fixture
def demo():
    dates = DemoDates.original()
    campaigns_demo.load(dates)
    registers_demo.load(dates)
    letters_demo.load(dates)


def release_letter(language: str) -> Letter:
    action = LetterAction.objects.get(slug="release-the-unionists")
    supporter = Supporter.unsaved("anna@example.net", name="Anna", language=language)
    return Letter(action=action, supporter=supporter, language=language, country="DE")


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_campaign_and_the_letter_say_what_the_register_says(client, demo, language):
    person = Person.objects.get(ref="bp001")
    assert person.status == Status.EXILED
    home = client.get(reverse("campaigns:home").replace("/en/", f"/{language}/"))
    page = home.content.decode()
    assert SAID[language] in page
    assert "[[person:" not in page
    body = release_letter(language).compose(None).body
    assert SAID[language] in body


def test_nothing_in_the_demo_calls_him_jailed(demo):
    campaign = Campaign.objects.current()
    texts = list(LetterText.objects.values_list("body", flat=True))
    for language in SAID:
        texts.append(getattr(campaign, f"body_{language}"))
        texts += SupporterAction.objects.values_list(f"body_{language}", flat=True)
    spellings = ("Yarashuk", "Ярошук", "Ярашук", "Jaraschuk")
    for text in texts:
        # He is named only through the register, which says what became of him.
        assert not any(name in text.replace(SAID_RAW, "") for name in spellings)


def test_a_change_in_the_register_changes_the_text(demo):
    Person.objects.filter(ref="bp001").update(status=Status.IN_CUSTODY, released_on=None)
    with translation.override("en"):
        text = mentions.expand("Free [[person:bp001]]!", "en")
    assert text == "Free Aliaksandr Yarashuk (in custody, last reported Sept. 11, 2025)!"


def test_a_mention_of_nobody_published_stays_as_written(demo):
    Person.objects.filter(ref="bp001").update(is_published=False)
    assert mentions.expand("Free [[person:bp001]]!", "en") == "Free [[person:bp001]]!"
