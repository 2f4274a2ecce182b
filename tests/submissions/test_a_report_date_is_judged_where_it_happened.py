"""A report of an action is accepted only after it took place, by the calendar of the country
where it happened (else the campaign's), never by the server's UTC date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from picketline.lib.zones import zones_of_country
from picketline.submissions.forms import today_where_it_happened
from picketline.submissions.models import ActionReport
from tests.campaigns.helpers import make_campaign

from .test_endorsements_and_reports import report_data

pytestmark = pytest.mark.django_db

REPORT = "/en/submit/report/"


def report(client, country: str, day: str):
    """Posts a report; returns the response and whether the report was kept."""
    before = ActionReport.objects.count()
    response = client.post(REPORT, report_data(report_country=country, happened_on=day))
    return response, ActionReport.objects.count() == before + 1


@time_machine.travel(datetime(2026, 3, 9, 21, 30, tzinfo=UTC), tick=False)
def test_a_report_dated_today_east_of_utc_is_taken_after_local_midnight(client):
    # 00:30 on 10 March in Istanbul, still 9 March in UTC.
    response, stored = report(client, "TR", "2026-03-10")
    assert response.status_code == 302, response.content.decode()
    assert stored


@time_machine.travel(datetime(2026, 3, 10, 2, 0, tzinfo=UTC), tick=False)
def test_a_report_dated_tomorrow_west_of_utc_is_refused_before_local_midnight(client):
    # 21:00 on 9 March in Lima, already 10 March in UTC.
    response, stored = report(client, "PE", "2026-03-10")
    assert response.status_code == 400
    assert "The date is in the future." in response.content.decode()
    assert not stored
    response, stored = report(client, "PE", "2026-03-09")
    assert response.status_code == 302 and stored


def test_a_country_of_many_zones_takes_the_day_once_it_began_in_any_of_them(client):
    assert {"America/Vancouver", "America/St_Johns"} <= set(zones_of_country("CA"))
    # 23:30 in St John's, 19:00 in Vancouver: 10 March has begun nowhere in Canada.
    with time_machine.travel(datetime(2026, 3, 10, 2, 0, tzinfo=UTC), tick=False):
        response, stored = report(client, "CA", "2026-03-10")
    assert response.status_code == 400 and not stored
    # 00:30 in St John's: the day has begun in Canada, though not yet in Vancouver.
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=False):
        response, stored = report(client, "CA", "2026-03-10")
    assert response.status_code == 302 and stored


@time_machine.travel(datetime(2026, 3, 9, 21, 30, tzinfo=UTC), tick=False)
def test_without_a_known_country_the_campaigns_zone_decides():
    assert today_where_it_happened("") == date(2026, 3, 9)  # no campaign: the site's UTC
    make_campaign(time_zone="Europe/Minsk")
    assert today_where_it_happened("") == date(2026, 3, 10)  # 00:30 in Minsk
    assert today_where_it_happened("XX") == date(2026, 3, 10)
    assert today_where_it_happened("BY") == date(2026, 3, 10)
    assert today_where_it_happened("PE") == date(2026, 3, 9)
