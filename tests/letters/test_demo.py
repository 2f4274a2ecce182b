"""The demo: Belarusian bodies and embassies from the research file, three letter actions."""

import json

import pytest

from picketline.letters import demo
from picketline.letters.models import LetterAction, Role, Target
from picketline.lib.demo_dates import DemoDates

pytestmark = pytest.mark.django_db


def test_it_loads_twice_without_duplicates():
    demo.load(DemoDates.original())
    count = Target.objects.count()
    demo.load(DemoDates.original())
    assert Target.objects.count() == count
    assert LetterAction.objects.published().count() == 3


def test_the_embassies_keep_their_sources_and_get_example_addresses():
    demo.load(DemoDates.original())
    berlin = Target.objects.get(country="DE", role=Role.EMBASSY_OF_BELARUS)
    assert "Am Treptower Park 32, 12435 Berlin" in berlin.postal_address
    assert "https://mfberlin.de/belarus-botschaft-in-berlin/" in berlin.source_list()
    assert berlin.deliverable_addresses() == ["belarus-embassy-de@example.org"]
    assert berlin.is_demo
    assert Target.objects.filter(role=Role.EMBASSY_OF_BELARUS).count() == 7
    assert not Target.objects.exclude(addresses__email__endswith="@example.org").exists()


def test_it_refuses_to_load_without_the_research_file(settings, tmp_path):
    settings.REGISTERS_RESEARCH_FILE = str(tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError):
        demo.load(DemoDates.original())
    assert not LetterAction.objects.exists()


def test_it_refuses_a_research_file_without_our_embassies(settings, tmp_path):
    # Loading the actions anyway would send a German supporter's letter to the fallback ministry.
    research = tmp_path / "research.json"
    research.write_text(json.dumps({"embassies": [{"country": "Narnia", "mission": "?"}]}))
    settings.REGISTERS_RESEARCH_FILE = str(research)
    with pytest.raises(ValueError, match="no embassy"):
        demo.load(DemoDates.original())
    assert not LetterAction.objects.exists()


def test_each_action_finds_the_right_recipients():
    demo.load(DemoDates.original())
    release = LetterAction.objects.get(slug="release-the-unionists")
    from_germany = {t.name for t in release.targets_for("DE")}
    assert from_germany == {
        "Embassy of the Republic of Belarus in the Federal Republic of Germany",
        "Administration of the President of the Republic of Belarus",
    }
    from_sweden = {t.name for t in release.targets_for("SE")}
    assert "Ministry of Foreign Affairs of the Republic of Belarus" in from_sweden

    meeting = LetterAction.objects.get(slug="ilo-thematic-meeting")
    assert {t.role for t in meeting.targets_for("PL")} == {
        Role.ILO_GOVERNMENT,
        Role.ILO_EMPLOYERS,
        Role.ILO_WORKERS,
    }


def test_every_action_has_its_letter_in_four_languages():
    demo.load(DemoDates.original())
    for action in LetterAction.objects.all():
        assert set(action.texts.values_list("language", flat=True)) == {"en", "ru", "de", "be"}
        for text in action.texts.all():
            text.clean()  # only known placeholders


def test_no_demo_action_leaves_a_country_without_an_answer():
    demo.load(DemoDates.original())
    for action in LetterAction.objects.published():
        for country in ("SE", "JP", "ZZ"):
            assert action.targets_for(country) or action.postal_targets_for(country), (
                action.slug,
                country,
            )
    ilo = LetterAction.objects.get(slug="ilo-resolution-2023")
    assert [t.name for t in ilo.targets_for("SE")] == ["Campaign office (forwards your letter)"]
    meeting = LetterAction.objects.get(slug="ilo-thematic-meeting")
    assert meeting.targets_for("SE") == []
    [ilo_office] = meeting.postal_targets_for("SE")
    assert "1211 Genève 22" in ilo_office.postal_address


def test_belarus_is_marked_as_dangerous_in_the_demo():
    from picketline.supporters.models import DangerousCountry

    demo.load(DemoDates.original())
    assert DangerousCountry.is_dangerous("BY")


def test_the_ilo_meeting_letter_to_post_reads_true_for_the_director_general(client):
    """From a country without delegates (Lithuania) the supporter posts the letter to the
    Director-General of the ILO: named in the page's language, the letter asks for the
    country's delegates without taking the reader for one, signs with what the form asks,
    and the page says which languages the office reads."""
    from picketline.letters.models import Letter
    from picketline.supporters.models import Supporter

    demo.load(DemoDates.original())
    meeting = LetterAction.objects.get(slug="ilo-thematic-meeting")
    page = client.get("/be/letters/ilo-thematic-meeting/?country=LT").content.decode()
    assert "Генеральны дырэктар Міжнароднага бюро працы" in page
    assert "Director-General" not in page
    assert "англійская, французская" in page
    form = page.split('class="letter-form"')[1]
    assert 'name="consent_' not in form and 'name="send_copy"' not in form
    assert 'name="organisation"' in form and 'name="role"' in form
    [director] = meeting.postal_targets_for("LT")
    for language in ("en", "ru", "be", "de"):
        writer = Supporter.unsaved("", name="Alesia", language=language)
        letter = Letter(
            action=meeting,
            supporter=writer,
            language=language,
            country="LT",
            organisation="LPS Solidarumas",
            role="member",
        )
        body = letter.compose(director).body
        assert "LPS Solidarumas" in body and "member" in body, language
    for phrase in ("as a delegate of our country", "как делегата", "як дэлегата", "als Delegierte"):
        assert all(phrase not in text.body for text in meeting.texts.all())


def test_the_forwarding_office_is_named_in_each_language():
    demo.load(DemoDates.original())
    office = Target.objects.get(name_en="Campaign office (forwards your letter)")
    assert office.name_be == "Офіс кампаніі (перасылае ваш ліст)"
    assert office.name_ru and office.name_de and office.name_de != office.name_en
