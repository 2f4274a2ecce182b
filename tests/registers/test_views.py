from datetime import date

import pytest

from picketline.registers.models import CaseEvent, Person, Status, WritingGuidance

from .helpers import make_company, make_event, make_person

pytestmark = pytest.mark.django_db


def test_it_lists_published_people_with_the_date_of_their_status(client):
    make_person(name="Hanna Ablab", status_reported_on=date(2024, 3, 14))
    make_person(ref="hidden", name="Hidden Person", is_published=False)
    page = client.get("/en/register/").content.decode()
    assert "Hanna Ablab" in page
    assert "as last reported on March 14, 2024" in page
    assert "Hidden Person" not in page


def test_it_says_when_the_date_of_the_report_is_unknown(client):
    make_person(name="Vatslau Areshka", status_reported_on=None)
    page = client.get("/en/register/").content.decode()
    assert "date of the last report not known" in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "released"}, "Free Person", "Held Person"),
        ({"union": "REP"}, "Free Person", "Held Person"),
        ({"city": "Hrodna"}, "Held Person", "Free Person"),
    ],
)
def test_it_filters_by_status_union_and_city(client, params, shown, hidden):
    make_person(ref="a", name="Held Person", union="BNP", city="Hrodna")
    make_person(ref="b", name="Free Person", status=Status.RELEASED, union="REP", city="Brest")
    page = client.get("/en/register/", params).content.decode()
    assert shown in page
    assert hidden not in page


def test_the_person_page_shows_every_fact_with_its_source(client):
    person = make_person(
        name="Aliaksandr Yarashuk",
        name_belarusian="Аляксандр Ярашук",
        detained_on=date(2022, 4, 19),
        disputed=["whether the release was a pardon"],
    )
    make_event(person, CaseEvent.Kind.CHARGE, text="Art. 342 part 1", articles=["342 part 1"])
    make_event(
        person, CaseEvent.Kind.VERDICT, text="Verdict", disputed=True, disputed_note="15 vs 16 Nov"
    )
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Аляксандр Ярашук" in page
    assert "342 part 1" in page
    assert "news.example" in page and "2022-04-20" in page  # the event's source and its date
    assert "whether the release was a pardon" in page
    assert "15 vs 16 Nov" in page
    assert "as last reported on July 28, 2023" in page
    assert "It may have changed since." in page
    assert "days since detention on April 19, 2022, if still held today" in page


def test_the_person_page_of_an_unpublished_person_is_404(client):
    person = make_person(is_published=False)
    assert client.get(person.get_absolute_url()).status_code == 404


def test_it_shows_no_photo_without_a_recorded_basis():
    person = make_person(photo="registers/people/x.jpg")
    assert not person.shows_photo()
    person.photo_basis = Person.PhotoBasis.PERMISSION
    person.photo_source = "https://example.org/permission"
    assert person.shows_photo()


def test_a_photo_without_basis_does_not_validate():
    from django.core.exceptions import ValidationError

    person = Person(ref="x", slug="x", name="X", photo="registers/people/x.jpg")
    with pytest.raises(ValidationError):
        person.clean()


def test_the_guidance_page_is_translated(client):
    guidance = WritingGuidance(title="Write in Russian", body="Short letters.\n\nNo politics.")
    guidance.title_ru = "Пишите по-русски"
    guidance.body_ru = "Короткие письма."
    guidance.save()
    assert "Пишите по-русски" in client.get("/ru/register/writing-to-prisoners/").content.decode()
    page = client.get("/de/register/writing-to-prisoners/").content.decode()
    assert "Write in Russian" in page  # English, visibly marked
    assert 'lang="en"' in page


def test_companies_are_listed_searchable_and_shown(client):
    company = make_company(sanctions_status="sanctioned", sanctions_note="EU package, Dec 2021")
    company.concerns.create(text="Strikers dismissed")
    company.partners.create(name="Yara", country="Norway", relationship="buyer")
    page = client.get("/en/register/companies/", {"q": "беларуськалий"}).content.decode()
    assert "Belaruskali" in page
    page = client.get(company.get_absolute_url()).content.decode()
    assert "Strikers dismissed" in page and "Yara" in page and "EU package, Dec 2021" in page


@pytest.mark.parametrize("language", ["ru", "be", "de"])
def test_the_register_speaks_the_visitors_language(client, language):
    make_person()
    page = client.get(f"/{language}/register/").content.decode()
    assert "Jailed trade unionists of Belarus" not in page
    assert "Aliaksandr Yarashuk" in page  # names stay as given


def test_the_company_page_links_its_approved_action_reports_only(client):
    from django.utils import timezone

    from picketline.submissions.models import ActionReport

    company = make_company()
    common = {
        "kind": "due_diligence",
        "country": "Norway",
        "happened_on": date(2024, 4, 19),
        "text": "We met the buyer.",
        "company": company,
    }
    ActionReport.objects.create(
        title="Approved meeting", status="approved", confirmed_at=timezone.now(), **common
    )
    ActionReport.objects.create(title="Pending meeting", confirmed_at=timezone.now(), **common)
    ActionReport.objects.create(title="Unconfirmed meeting", status="approved", **common)
    page = client.get(company.get_absolute_url()).content.decode()
    assert "Approved meeting" in page
    assert "Pending meeting" not in page and "Unconfirmed meeting" not in page


def test_a_nul_character_in_a_filter_is_a_clear_400(client):
    make_person(name="Held Person", city="Minsk")
    page = client.get("/en/register/", {"city": "Min\x00sk", "q": "He\x00ld"})
    assert page.status_code == 400


def test_last_updated_is_the_date_of_the_newest_fact_not_of_the_load(client):
    person = make_person(ref="a", name="Hanna Ablab", status_reported_on=date(2023, 7, 28))
    make_event(person, happened_on=date(2024, 5, 28))
    make_person(ref="b", name="Hidden", is_published=False, released_on=date(2025, 1, 2))
    document = client.get("/en/register/open-data/people.json").json()
    assert document["last_updated"] == "2024-05-28"
    page = client.get("/de/register/open-data/").content.decode()
    assert "Zuletzt aktualisiert am 28. Mai 2024." in page
    assert "2024-05-28" not in page.split("<main")[-1].split("</main>")[0]
