"""What the campaign's pages and letters say about a person comes from the register: a text
mentions ``[[person:REF]]`` and readers see the register's last reported status, in their
language; the demo no longer calls Aliaksandr Yarashuk jailed, and names nobody of the
register in words of its own."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from picketline.campaigns import demo as campaigns_demo
from picketline.campaigns import mentions
from picketline.campaigns.models import Campaign, SupporterAction
from picketline.letters import demo as letters_demo
from picketline.letters.models import Letter, LetterAction, LetterText
from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo as registers_demo
from picketline.registers.mentions import MENTION
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
def test_the_campaign_says_what_the_register_says(client, demo, language):
    person = Person.objects.get(ref="bp001")
    assert person.status == Status.EXILED
    home = client.get(reverse("campaigns:home").replace("/en/", f"/{language}/"))
    page = home.content.decode()
    assert SAID[language] in page
    assert "[[person:" not in page


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_letter_asking_for_release_names_only_people_held_today(demo, language):
    text = LetterAction.objects.get(slug="release-the-unionists").text_for(language)
    named = Person.objects.filter(ref__in=MENTION.findall(text.body))
    assert named.count() >= 1
    assert set(named.values_list("status", flat=True)) == {Status.IN_CUSTODY}
    body = release_letter(language).compose(None).body
    # Not "free Yarashuk (released and expelled …)": he is free already.
    assert SAID[language] not in body and "[[person:" not in body
    with translation.override(language):
        held = mentions.expand("[[person:bp028]]", language)
    assert held in body


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


def demo_texts() -> list[tuple[str, str]]:
    """(where, text) for every text the demo campaign writes outside the register: every
    translated field of every other app in every language, and the letters' texts."""
    texts = []
    for model in translator.get_registered_models():
        if model._meta.app_label == "registers":
            continue
        fields = translator.get_options_for_model(model).fields
        for item in model.objects.all():
            for field in fields:
                for language in SAID:
                    value = getattr(item, f"{field}_{language}", "")
                    if isinstance(value, str) and value:
                        texts.append((f"{model.__name__} {item.pk} {field}_{language}", value))
    for letter_text in LetterText.objects.all():
        for field in ("subject", "body"):
            texts.append((f"LetterText {letter_text.pk} {field}", getattr(letter_text, field)))
    return texts


def spellings(person: Person) -> set[str]:
    """Every spelling of the person's name, and of the surname alone (four letters or more)."""
    names = set(person.all_names())
    names |= {name.split()[-1] for name in person.all_names() if len(name.split()[-1]) >= 4}
    return names


def named_without_mention(texts: list[tuple[str, str]]) -> list[str]:
    people = {person.ref: spellings(person) for person in Person.objects.all()}
    named = []
    for where, text in texts:
        plain = MENTION.sub("", text)
        for ref, names in people.items():
            for name in names:
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", plain):
                    named.append(f"{where}: {name} (say [[person:{ref}]])")
    return named


def test_no_demo_text_names_a_person_of_the_register_but_through_a_mention(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    texts = demo_texts()
    assert len(texts) > 100 and Person.objects.count() > 30
    assert named_without_mention(texts) == []
    # The check itself: a status restated beside a name, in any spelling, is found.
    planted = [("a post", "Сяргей Антусевіч is still jailed; [[person:bp001]] was released.")]
    found = named_without_mention(planted)
    assert "a post: Сяргей Антусевіч (say [[person:bp002]])" in found
    assert all("[[person:bp002]]" in line for line in found)
