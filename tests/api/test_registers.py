from datetime import date

import pytest

from picketline.registers.models import CaseEvent, Person, Status
from tests.registers.helpers import make_company, make_event, make_person

pytestmark = pytest.mark.django_db


def test_it_lists_prisoners_with_the_date_of_each_status(api):
    make_person(ref="a", name="Hanna Ablab", status_reported_on=date(2024, 3, 14))
    data = api.json("/api/v1/prisoners")
    (person,) = data["items"]
    assert person["name"] == "Hanna Ablab"
    assert person["status"]["value"] == "in_custody"
    assert person["status"]["reported_on"] == "2024-03-14"
    assert person["sources"][0]["url"] == "https://news.example/a"
    assert data["in_custody"] == 1


def test_the_api_count_in_custody_is_the_registers(api):
    make_person(ref="a")
    make_person(ref="b", status=Status.RELEASED)
    make_person(ref="c", is_published=False)
    data = api.json("/api/v1/prisoners", {"status": "in_custody"})
    assert data["in_custody"] == Person.objects.in_custody().count() == len(data["items"]) == 1


def test_it_pages_with_a_cursor_until_the_end(api):
    for n in range(5):
        make_person(ref=f"p{n}", name=f"Person {n}")
    first = api.json("/api/v1/prisoners", {"limit": 2})
    second = api.json("/api/v1/prisoners", {"limit": 2, "cursor": first["next_cursor"]})
    third = api.json(first["next"].replace("limit=2", "limit=2"))
    assert third["items"] == second["items"]
    last = api.json("/api/v1/prisoners", {"limit": 2, "cursor": second["next_cursor"]})
    names = [p["name"] for page in (first, second, last) for p in page["items"]]
    assert names == [f"Person {n}" for n in range(5)]
    assert last["next_cursor"] is None and last["next"] is None


def test_it_keeps_filters_in_the_next_link(api):
    for n in range(3):
        make_person(ref=f"p{n}", name=f"Person {n}", city="Hrodna")
    make_person(ref="x", name="Elsewhere", city="Brest")
    first = api.json("/api/v1/prisoners", {"limit": 2, "city": "Hrodna"})
    assert "city=Hrodna" in first["next"]
    rest = api.json(first["next"])
    assert [p["name"] for p in rest["items"]] == ["Person 2"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"status": "released"}, ["Free"]),
        ({"union": "REP"}, ["Free"]),
        ({"city": "Hrodna"}, ["Held"]),
        ({"q": "Ярошук"}, ["Held"]),
    ],
)
def test_it_filters_prisoners(api, params, names):
    make_person(ref="a", name="Held", other_spellings=["Ярошук"], union="BNP", city="Hrodna")
    make_person(ref="b", name="Free", status=Status.RELEASED, union="REP", city="Brest")
    assert [p["name"] for p in api.json("/api/v1/prisoners", params)["items"]] == names


@pytest.mark.parametrize(
    "params",
    [{"status": "dead"}, {"limit": "0"}, {"limit": "abc"}, {"limit": "201"}, {"cursor": "bogus!"}],
)
def test_it_refuses_bad_parameters_with_400(api, params):
    response = api.get("/api/v1/prisoners", params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_person_has_a_sourced_case_history(api):
    person = make_person(ref="a", slug="hanna-ablab")
    make_event(
        person,
        CaseEvent.Kind.VERDICT,
        happened_on=date(2023, 2, 17),
        disputed=True,
        disputed_note="14 vs 17 Feb",
    )
    data = api.json("/api/v1/prisoners/hanna-ablab")
    (event,) = data["events"]
    assert event == {
        "kind": "verdict",
        "date": "2023-02-17",
        "date_precision": "day",
        "text": "Detained",
        "articles": [],
        "disputed": True,
        "disputed_note": "14 vs 17 Feb",
        "sources": [
            {"url": "https://news.example/2022/04/20/detained", "title": "", "date": "2022-04-20"}
        ],
    }


def test_an_unknown_or_unpublished_person_is_404(api):
    make_person(ref="a", slug="hidden", is_published=False)
    assert api.get("/api/v1/prisoners/hidden").status_code == 404
    assert api.get("/api/v1/prisoners/nobody").status_code == 404


def test_companies_are_searchable_with_concerns_and_partners(api):
    company = make_company(sanctions_status="sanctioned")
    company.concerns.create(text="Strikers dismissed")
    company.partners.create(name="Yara", country="Norway")
    make_company(ref="maz", name="MAZ", name_cyrillic="МАЗ")
    data = api.json("/api/v1/companies", {"q": "Беларуськалий"})
    assert [c["name"] for c in data["items"]] == ["Belaruskali (OJSC Belaruskali)"]
    assert (
        api.json("/api/v1/companies", {"sanctions": "sanctioned"})["items"][0]["ref"]
        == "belaruskali"
    )
    detail = api.json("/api/v1/companies/belaruskali")
    assert detail["concerns"][0]["text"] == "Strikers dismissed"
    assert detail["partners"][0]["name"] == "Yara"


def test_procedures_are_listed(api):
    from picketline.lib.demo_dates import DemoDates
    from picketline.registers import demo

    demo.load(DemoDates.original())
    data = api.json("/api/v1/procedures")
    assert {p["key"] for p in data["items"]} == {
        "ilo-article-33-resolution-2023",
        "ilo-commission-of-inquiry-2004",
    }


def test_a_town_is_asked_for_by_its_english_name_and_answered_in_the_asked_language(api):
    make_person(ref="a", name="Held", city="Hrodna")
    make_person(ref="b", name="Elsewhere", city="Brest")
    Person.objects.filter(ref="a").update(city_ru="Гродно")
    data = api.json("/api/v1/prisoners", {"city": "Hrodna", "lang": "ru"})
    assert [(p["name"], p["city"]) for p in data["items"]] == [("Held", "Гродно")]
    assert api.json("/api/v1/prisoners", {"city": "Гродно", "lang": "ru"})["items"] == []
