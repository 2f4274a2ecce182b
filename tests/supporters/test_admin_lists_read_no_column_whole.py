"""The organisers' lists of supporters, consents and subscriptions grow with the campaign (a
million rows): their filters offer fixed choices (the site's languages, date ranges) instead of
reading every value of a column on each page (a DISTINCT over the whole table, 1.2 s of a
1.7 s page at a million supporters, bench/run-scale)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from picketline.supporters.models import Consent, Supporter
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/supporters/supporter/",
    "/admin/supporters/consent/",
    "/admin/supporters/subscription/",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_page_reads_no_column_whole(client, path):
    Supporter.get_or_create_for_email("ana@example.org", language="ru")
    login_verified(client, make_staff("boss"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path)
    assert page.status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]] == []
    html = page.content.decode()
    assert "?language=be" in html  # every language is offered, found or not
    assert "given_at__gte" in html or "created_at__gte" in html  # the date ranges


def test_the_filters_still_filter(client):
    for email, language in (("ana@example.org", "ru"), ("bo@example.org", "de")):
        supporter, _ = Supporter.get_or_create_for_email(email, language=language)
        Consent.record(
            supporter, Consent.Purpose.ORGANISER_UPDATES, "keep me informed", language, "/"
        )
    login_verified(client, make_staff("boss"))
    listed = client.get("/admin/supporters/consent/?language=de").context["cl"].result_list
    assert [consent.language for consent in listed] == ["de"]
    listed = client.get("/admin/supporters/supporter/?language=ru").context["cl"].result_list
    assert [supporter.language for supporter in listed] == ["ru"]
    recent = client.get("/admin/supporters/consent/", {"given_at__gte": "2000-01-01"})
    assert len(recent.context["cl"].result_list) == 2
