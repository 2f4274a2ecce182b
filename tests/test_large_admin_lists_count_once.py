"""The organisers' lists of tables that grow with the campaign count their rows once a page
(the paginator's count), not a second time for a "N total" beside a filtered count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.fixtures.accounts import make_staff

pytestmark = pytest.mark.django_db

LARGE_LISTS = [
    "admin:supporters_supporter_changelist",
    "admin:supporters_consent_changelist",
    "admin:supporters_subscription_changelist",
    "admin:letters_letter_changelist",
    "admin:letters_delivery_changelist",
    "admin:events_registration_changelist",
    "admin:submissions_videomessage_changelist",
    "admin:submissions_endorsement_changelist",
    "admin:submissions_actionreport_changelist",
    "admin:mail_outgoingmessage_changelist",
]


@pytest.mark.parametrize("name", LARGE_LISTS)
def test_a_large_list_counts_its_rows_once(name):
    client = Client()
    client.force_login(make_staff())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name) + "?o=-1")  # a query string, as a filter would
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts


def test_the_outbox_list_offers_its_filters_without_reading_every_message():
    from picketline.mail.models import OutgoingMessage

    OutgoingMessage.queue(to=["a@example.org"], subject="S", text="T", kind="privacy-link")
    client = Client()
    client.force_login(make_staff())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:mail_outgoingmessage_changelist"))
    assert response.status_code == 200
    assert "privacy-link" in response.content.decode()  # a kind to filter by
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    filtered = client.get(reverse("admin:mail_outgoingmessage_changelist") + "?language=de")
    assert filtered.status_code == 200
