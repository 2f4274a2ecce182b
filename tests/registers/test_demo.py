import pytest

from picketline.lib.demo_dates import DemoDates
from picketline.registers import demo, research
from picketline.registers.models import CaseEvent, Company, Person, Procedure, Status

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_person_and_company_with_sources_twice_harmlessly():
    data = research.load_research()
    demo.load(DemoDates.original())
    demo.load(DemoDates.original())
    assert Person.objects.count() == len(data["prisoners"])
    assert Company.objects.count() == len(data["companies"])
    assert not Person.objects.filter(sources=None).exists()
    assert not CaseEvent.objects.filter(sources=None).exists()
    assert Procedure.objects.get(key="ilo-article-33-resolution-2023").sources.count() > 0
    assert Procedure.objects.get(key="ilo-commission-of-inquiry-2004").decided_on.year == 2004


def test_the_demo_keeps_statuses_as_last_reported():
    demo.load(DemoDates.original())
    yarashuk = Person.objects.get(ref="bp001")
    assert yarashuk.status == Status.EXILED
    assert yarashuk.status_reported_on.isoformat() == "2025-09-11"
    zhurauka = Person.objects.get(ref="bp021")
    assert zhurauka.status == Status.IN_CUSTODY
    assert zhurauka.status_reported_on.isoformat() == "2023-07-28"
    assert "current status" in zhurauka.disputed


def test_the_demo_marks_disputed_dates():
    demo.load(DemoDates.original())
    khanevich = Person.objects.get(ref="bp015")
    verdict = khanevich.events.get(kind=CaseEvent.Kind.VERDICT)
    assert verdict.disputed
    assert "15 vs 16 Nov" in verdict.disputed_note


def test_every_demo_page_renders_with_its_facts(client):
    demo.load(DemoDates.original())
    listing = client.get("/en/register/").content.decode()
    assert "Aliaksandr Yarashuk" in listing
    assert "ILO resolution under Article 33 on Belarus (2023)" in listing
    for person in Person.objects.all():
        page = client.get(person.get_absolute_url())
        assert page.status_code == 200
        assert person.name in page.content.decode()
    for company in Company.objects.all():
        assert client.get(company.get_absolute_url()).status_code == 200
    page = client.get("/be/register/writing-to-prisoners/").content.decode()
    assert "Пішыце па-беларуску або па-руску" in page
