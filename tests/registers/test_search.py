import pytest

from picketline.registers.models import Company, Person
from picketline.registers.search import keys

from .helpers import make_company, make_person

pytestmark = pytest.mark.django_db


def yarashuk() -> Person:
    return make_person(
        name="Aliaksandr Yarashuk",
        name_belarusian="Аляксандр Ярашук",
        name_russian="Александр Ярошук",
        other_spellings=["Alexander Yaroshuk"],
    )


@pytest.mark.parametrize("query", ["Yaroshuk", "Ярашук", "Ярошук", "yarashuk", "YAROSHUK"])
def test_it_finds_the_same_person_under_every_spelling(query):
    person = yarashuk()
    make_person(ref="p2", name="Vatslau Areshka")
    assert list(Person.objects.search(query)) == [person]


def test_it_finds_spellings_that_were_never_entered():
    person = make_person(name="Aliaksandr Yarashuk")  # Latin only
    assert list(Person.objects.search("Ярошук")) == [person]
    assert list(Person.objects.search("Alexander Jaroschuk")) == [person]


def test_it_ignores_case_and_diacritics():
    person = make_person(name="Viačasłaŭ Areška")
    assert list(Person.objects.search("areshka")) == [person]
    assert list(Person.objects.search("VIACHASLAU")) == [person]


def test_it_does_not_confuse_similar_surnames():
    yarashuk()
    areshka = make_person(ref="p2", name="Vatslau Areshka")
    assert list(Person.objects.search("Areshka")) == [areshka]


def test_it_needs_every_word_of_the_query():
    person = yarashuk()
    make_person(ref="p2", name="Aliaksandr Mishuk")
    assert list(Person.objects.search("Aliaksandr Yaroshuk")) == [person]
    assert Person.objects.search("Aleksandr").count() == 2


def test_it_keeps_belarusian_dz_and_russian_d_together():
    assert set(keys("Henadz")) & set(keys("Геннадий"))


def test_it_finds_companies_in_latin_and_cyrillic():
    company = make_company()
    assert list(Company.objects.search("Беларуськалий")) == [company]
    assert list(Company.objects.search("belaruskali")) == [company]
    assert list(Company.objects.search("Salihorsk")) == [company]


def test_the_public_list_searches(client):
    yarashuk()
    response = client.get("/en/register/", {"q": "Ярошук"})
    assert "Aliaksandr Yarashuk" in response.content.decode()
    response = client.get("/en/register/", {"q": "Nobody"})
    assert "Aliaksandr Yarashuk" not in response.content.decode()
