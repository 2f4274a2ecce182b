"""The register speaks every language and lists each union once: unions are records, the
details a source adds ("primary organisation at MAZ", "Brest") are a note on the person."""

import pytest
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo, exchange
from picketline.registers.models import (
    BusinessPartner,
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Procedure,
    Union,
)
from picketline.registers.unions import split_union
from tests.registers.helpers import make_person, make_union

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written, expected",
    [
        ("REP", ("rep", "")),
        ("REP (Belarusian Trade Union of Radio and Electronics Industry Workers)", ("rep", "")),
        ("REP (Brest)", ("rep", "Brest")),
        ("SPM (previously REP)", ("spm", "previously REP")),
        ("BNP / BITU (Belarusian Independent Trade Union)", ("bnp", "")),
        ("Rabochy Rukh / BNP", ("rabochy-rukh", "also BNP")),
        ("", ("", "")),
    ],
)
def test_a_union_as_sources_write_it_is_one_record_and_a_note(written, expected):
    assert split_union(written) == expected


def test_the_filter_lists_rep_once_however_the_sources_wrote_it(client):
    demo.load(DemoDates.original())
    rep = Union.objects.get(key="rep")
    assert Person.objects.filter(union=rep).count() >= 3
    page = client.get(reverse("registers:people")).content.decode()
    select = page.split('<select id="union"', 1)[1].split("</select>", 1)[0]
    assert select.count('value="rep"') == 1
    assert "REP (Brest)" not in select
    filtered = client.get(reverse("registers:people") + "?union=rep").content.decode()
    for person in Person.objects.filter(union=rep):
        assert person.name in filtered


def test_the_demo_register_speaks_russian_belarusian_and_german(client):
    demo.load(DemoDates.original())
    yarashuk = Person.objects.get(ref="bp001")
    url = reverse("registers:person", args=[yarashuk.slug])
    pages = {}
    for language in ("ru", "be", "de"):
        pages[language] = client.get(url.replace("/en/", f"/{language}/")).content.decode()
    assert "Белорусский конгресс демократических профсоюзов" in pages["ru"]
    assert "Председатель БКДП" in pages["ru"]
    assert "освобождён" in pages["ru"]
    assert "Беларускі кангрэс дэмакратычных прафсаюзаў" in pages["be"]
    assert "Präsident des BKDP" in pages["de"] and "freigelassen" in pages["de"]
    for page in pages.values():
        assert "President/Chairman of BKDP" not in page
    with translation.override("de"):
        assert Company.objects.get(ref="belaruskali").sector == (
            "Kalidüngerbergbau (Salihorsk/Soligorsk)"
        )


def test_a_field_without_a_translation_shows_the_english_marked_as_such(client):
    person = make_person(role="shop steward")
    with translation.override("be"):
        assert Person.objects.get(pk=person.pk).role == "shop steward"
    url = reverse("registers:person", args=[person.slug]).replace("/en/", "/be/")
    page = client.get(url).content.decode()
    assert '<span class="untranslated" lang="en">shop steward</span>' in page


def test_the_open_data_keeps_english_and_the_union_key_in_any_language(client):
    make_person(ref="a", name="Hanna Ablab", union=make_union("REP"), union_note="Brest")
    Person.objects.filter(ref="a").update(role_en="steward", role_ru="уполномоченная")
    with translation.override("ru"):
        [record] = exchange.people_for_export()
    assert (record["union"], record["union_note"], record["role"]) == ("rep", "Brest", "steward")
    assert [c.kind for c in exchange.plan_people([record]).changes] == ["unchanged"]
    record = {**record, "ref": "b", "slug": "b", "union": "spb"}
    with translation.override("ru"):
        exchange.plan_people([record]).apply()
    created = Person.objects.get(ref="b")
    assert created.union.key == "spb" and created.role_en == "steward"
    csv = client.get("/ru/register/open-data/people.csv").content.decode()
    assert ",rep,Brest,steward," in csv


def test_every_text_of_the_demo_register_is_translated():
    demo.load(DemoDates.original())
    untranslated = []
    for model in (Person, CaseEvent, Company, LabourConcern, BusinessPartner, Procedure, Union):
        for field in translator.get_options_for_model(model).fields:
            for row in model.objects.all():
                if not getattr(row, f"{field}_en"):
                    continue
                for language in ("ru", "be", "de"):
                    if not getattr(row, f"{field}_{language}"):
                        untranslated.append(f"{model.__name__} {row.pk} {field}_{language}")
    assert untranslated == []
    khanevich = Person.objects.get(ref="bp015")
    assert "15 vs 16 Nov 2022" in khanevich.disputed_en[0]
    assert khanevich.disputed_de[0].startswith("Tag des Urteils (15. oder 16. November 2022)")
    with translation.override("be"):
        assert Procedure.objects.get(key="ilo-article-33-resolution-2023").facts[1] == (
            "Галасаванне: 301 — за, 54 — супраць, 108 устрымаліся"
        )


def test_towns_are_named_in_the_readers_language_and_filtered_by_their_english_name(client):
    demo.load(DemoDates.original())
    page = client.get("/ru/register/?city=Hrodna").content.decode()
    select = page.split('<select id="city"', 1)[1].split("</select>", 1)[0]
    assert '<option value="Hrodna" selected>Гродно</option>' in select
    assert '<option value="Minsk">Минск</option>' in select
    listed = page.split('<ul class="people">', 1)[1].split("</ul>", 1)[0]
    assert "Andrei Khanevich" in listed and "· Гродно" in listed
    assert "Aliaksandr Yarashuk" not in listed
    company = client.get("/de/register/companies/bmz/").content.decode()
    assert "<dd>Schlobin</dd>" in company


def test_a_person_is_named_as_the_readers_language_writes_the_name(client):
    demo.load(DemoDates.original())
    zhurauka = Person.objects.get(ref="bp021")
    url = reverse("registers:person", args=[zhurauka.slug])
    russian = client.get(url.replace("/en/", "/ru/")).content.decode()
    assert "<h1>Владимир Журавко</h1>" in russian
    assert '<dt>Латиницей</dt><dd lang="be-Latn">Uladzimir Zhurauka</dd>' in russian
    belarusian = client.get(url.replace("/en/", "/be/")).content.decode()
    assert "<h1>Уладзімір Жураўка</h1>" in belarusian
    assert "<h1>Uladzimir Zhurauka</h1>" in client.get(url.replace("/en/", "/de/")).content.decode()
    listing = client.get("/ru/register/").content.decode()
    assert f'<a href="/ru/register/people/{zhurauka.slug}/">Владимир Журавко</a>' in listing
    assert (
        '<span lang="be-Latn">Uladzimir Zhurauka</span> · <span lang="be">Уладзімір Жураўка</span>'
        in listing
    )
    ablab = Person.objects.get(ref="bp020")
    assert (ablab.name_belarusian, ablab.name_russian) == ("Ганна Аблаб", "Анна Аблаб")
    assert "Анна Аблаб" not in ablab.other_spellings


def test_a_company_is_named_in_the_readers_language_and_found_in_any(client):
    demo.load(DemoDates.original())
    page = client.get("/de/register/companies/bmz/").content.decode()
    assert "<h1>BMZ (Belarussisches Stahlwerk, Schlobin)</h1>" in page
    for query in ("металлургический", "Stahlwerk", "Steel Works"):
        found = client.get(f"/ru/register/companies/?q={query}").content.decode()
        listed = found.split('<ul class="companies">', 1)[1].split("</ul>", 1)[0]
        assert "БМЗ (Белорусский металлургический завод, Жлобин)" in listed, query
        assert "Belaruskali" not in listed and "Беларуськалий" not in listed
