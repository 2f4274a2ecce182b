from datetime import date

import pytest
from django.utils import timezone

from picketline.registers.models import Person, Status
from tests.campaigns.helpers import make_campaign

from .helpers import make_person

pytestmark = pytest.mark.django_db


def test_in_custody_counts_only_the_last_reported_status():
    make_person(ref="a", status=Status.IN_CUSTODY)
    make_person(ref="b", status=Status.IN_CUSTODY, status_reported_on=None)
    make_person(ref="c", status=Status.RELEASED)
    make_person(ref="d", status=Status.EXILED)
    make_person(ref="e", status=Status.UNKNOWN)
    make_person(ref="f", status=Status.IN_CUSTODY, is_published=False)
    assert set(Person.objects.in_custody().values_list("ref", flat=True)) == {"a", "b"}


def test_days_in_custody_run_from_detention_to_release():
    person = make_person(
        status=Status.RELEASED, detained_on=date(2022, 4, 19), released_on=date(2025, 9, 11)
    )
    assert person.days_in_custody() == (date(2025, 9, 11) - date(2022, 4, 19)).days


def test_days_in_custody_count_to_today_for_someone_last_reported_held():
    person = make_person(detained_on=date(2021, 9, 20))
    assert (
        person.days_in_custody(today=date(2026, 1, 1))
        == (date(2026, 1, 1) - date(2021, 9, 20)).days
    )


def test_days_are_not_guessed_without_a_release_date():
    person = make_person(status=Status.RELEASED, detained_on=date(2022, 4, 19), released_on=None)
    assert person.days_in_custody() is None


def test_the_campaign_page_count_equals_the_register(client):
    make_campaign()
    for ref, status in [
        ("a", "in_custody"),
        ("b", "in_custody"),
        ("c", "released"),
        ("d", "unknown"),
    ]:
        make_person(ref=ref, status=status)
    make_person(ref="hidden", status=Status.IN_CUSTODY, is_published=False)
    page = client.get("/en/").content.decode()
    expected = Person.objects.in_custody().count()
    assert expected == 2
    assert f"<strong>{expected}</strong> trade unionists held in custody" in page


def test_the_campaign_page_says_how_many_reports_are_old(client):
    make_campaign()
    make_person(ref="old", status_reported_on=date(2023, 7, 28))
    make_person(ref="undated", status_reported_on=None)
    make_person(ref="fresh", status_reported_on=timezone.localdate())
    page = client.get("/en/").content.decode()
    assert "<strong>3</strong> trade unionists held in custody" in page
    assert "For 2 of them the last report is more than a year old or undated" in page
