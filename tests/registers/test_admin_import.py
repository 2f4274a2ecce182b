import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo, exchange
from picketline.registers.models import Company, Person
from tests.fixtures.accounts import login_verified, make_staff

from .helpers import make_company, make_person

pytestmark = pytest.mark.django_db

URL = "/admin/registers/person/import/"


@pytest.fixture
def organiser(client):
    login_verified(client, make_staff())
    return client


def upload(client, records, name="people.json", url=URL):
    data = json.dumps(records).encode()
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_the_organiser_sees_the_changes_before_they_are_applied(organiser):
    make_person(ref="a", name="Someone", city="Minsk")
    records = exchange.people_for_export()
    records[0]["city"] = "Brest"
    records.append({"ref": "b", "name": "Newcomer", "slug": "newcomer"})
    preview = upload(organiser, records)
    page = preview.content.decode()
    assert "1 new, 1 changed, 0 unchanged" in page
    assert "Newcomer" in page and "Minsk" in page and "Brest" in page
    assert Person.objects.get(ref="a").city == "Minsk"  # nothing written yet
    assert not Person.objects.filter(ref="b").exists()
    response = organiser.post(URL, {"apply": "1", "format": "json", "text": json.dumps(records)})
    assert response.status_code == 302
    assert Person.objects.get(ref="a").city == "Brest"
    assert Person.objects.get(ref="b").name == "Newcomer"


def test_a_csv_of_companies_imports_the_same_way(organiser):
    make_company()
    records = exchange.companies_for_export()
    records[0]["sanctions_status"] = "sanctioned"
    text = exchange.to_csv(records, exchange.COMPANY_FIELDS, exchange.COMPANY_LIST_FIELDS)
    url = "/admin/registers/company/import/"
    preview = organiser.post(url, {"file": SimpleUploadedFile("c.csv", text.encode())})
    assert "0 new, 1 changed, 0 unchanged" in preview.content.decode()
    organiser.post(url, {"apply": "1", "format": "csv", "text": text})
    assert Company.objects.get().sanctions_status == "sanctioned"


def test_a_bad_file_is_refused_on_the_form(organiser):
    response = organiser.post(URL, {"file": SimpleUploadedFile("x.json", b"{not json")})
    assert response.status_code == 200
    assert "not valid JSON" in response.content.decode()


def test_staff_without_permission_cannot_import(client):
    login_verified(client, make_staff("helper", superuser=False))
    assert client.get(URL).status_code == 403


def test_the_change_list_links_the_import(organiser):
    assert 'href="import/"' in organiser.get("/admin/registers/person/").content.decode()


def test_the_organiser_edits_each_translated_fact_per_language(organiser):
    demo.load(DemoDates.original())
    khanevich = Person.objects.get(ref="bp015")
    page = organiser.get(f"/admin/registers/person/{khanevich.pk}/change/").content.decode()
    for field in ("notes", "disputed", "city", "role"):
        for language in ("en", "ru", "be", "de"):
            assert f'name="{field}_{language}"' in page, (field, language)
    for language in ("en", "ru", "be", "de"):
        assert f'name="events-0-disputed_note_{language}"' in page
    belaruskali = Company.objects.get(ref="belaruskali")
    page = organiser.get(f"/admin/registers/company/{belaruskali.pk}/change/").content.decode()
    for field in ("ownership", "sanctions_note", "city", "partners-0-relationship"):
        assert f'name="{field}_de"' in page, field
