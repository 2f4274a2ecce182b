import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation

from picketline.registers import exchange
from picketline.registers.models import Person

from .helpers import make_company, make_event, make_person

pytestmark = pytest.mark.django_db


def exported_people() -> list[dict]:
    return exchange.people_for_export()


def test_the_import_shows_new_changed_and_unchanged_before_writing():
    make_person(ref="a", name="Unchanged Person")
    make_person(ref="b", name="Changed Person")
    records = exported_people()
    changed = next(r for r in records if r["ref"] == "b")
    changed["status"] = "released"
    changed["status_reported_on"] = "2025-09-11"
    records.append({"ref": "c", "name": "New Person", "slug": "new-person"})
    plan = exchange.plan_people(records)
    assert [c.ref for c in plan.new] == ["c"]
    assert [c.ref for c in plan.changed] == ["b"]
    assert plan.changed[0].fields["status"] == ("in_custody", "released")
    assert plan.changed[0].fields["status_reported_on"] == ("2023-07-28", "2025-09-11")
    assert [c.ref for c in plan.unchanged] == ["a"]
    assert Person.objects.count() == 2  # nothing written yet
    assert Person.objects.get(ref="b").status == "in_custody"
    plan.apply()
    assert Person.objects.get(ref="b").status == "released"
    assert Person.objects.get(ref="c").name == "New Person"


def test_csv_and_json_round_trip_unchanged():
    person = make_person(ref="a", other_spellings=["Ярошук"], detained_on=date(2022, 4, 19))
    make_event(person, "charge", text="Art. 361 part 3", articles=["361 part 3"], disputed=True)
    make_company()
    people = exported_people()
    csv_text = exchange.to_csv(people, exchange.PERSON_FIELDS, exchange.PERSON_LIST_FIELDS)
    from_csv = exchange.read_records(csv_text, "csv", "people")
    assert [c.kind for c in exchange.plan(from_csv, "people").changes] == ["unchanged"]
    from_json = exchange.read_records(json.dumps({"people": people}), "json", "people")
    assert [c.kind for c in exchange.plan(from_json, "people").changes] == ["unchanged"]
    companies = exchange.companies_for_export()
    csv_text = exchange.to_csv(companies, exchange.COMPANY_FIELDS, exchange.COMPANY_LIST_FIELDS)
    plan = exchange.plan(exchange.read_records(csv_text, "csv", "companies"), "companies")
    assert [c.kind for c in plan.changes] == ["unchanged"]


@translation.override("en")
def test_the_command_is_a_dry_run_unless_told_to_apply(tmp_path, capsys):
    make_person(ref="a", name="Someone")
    records = exported_people()
    records[0]["city"] = "Brest"
    path = tmp_path / "people.json"
    path.write_text(json.dumps(records))
    call_command("import_register", "people", str(path))
    out = capsys.readouterr().out
    assert "0 new, 1 changed, 0 unchanged" in out
    assert 'city: "Minsk" -> "Brest"' in out
    assert Person.objects.get(ref="a").city == "Minsk"
    call_command("import_register", "people", str(path), "--apply")
    assert Person.objects.get(ref="a").city == "Brest"


@translation.override("en")
def test_the_import_refuses_a_bad_file(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "people.csv"
    path.write_text("name\nSomeone\n")
    with pytest.raises(CommandError, match="no column ref"):
        call_command("import_register", "people", str(path))


def test_the_open_data_downloads_carry_licence_and_date(client):
    make_person(ref="a", name="Hanna Ablab")
    make_person(ref="b", name="Hidden", is_published=False)
    response = client.get("/en/register/open-data/people.json")
    document = json.loads(response.content)
    assert document["licence"] == "CC BY 4.0"
    assert document["last_updated"]
    assert [p["name"] for p in document["people"]] == ["Hanna Ablab"]
    response = client.get("/en/register/open-data/people.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "Hanna Ablab" in response.content.decode() and "Hidden" not in response.content.decode()
    assert "license" in response["Link"]
    page = client.get("/en/register/open-data/").content.decode()
    assert "CC BY 4.0" in page and "Last updated on" in page
    assert client.get("/en/register/open-data/secrets.json").status_code == 404
