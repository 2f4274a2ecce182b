"""A registrant's own link and a host's report link are not keys for ever: they stop working a
configurable number of days after the event, and at once when the registration is cancelled or
the person erased."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from picketline.events.models import HostedAction
from tests.events.helpers import JOIN_URL, confirmed_registration, online_meeting
from tests.events.test_hosted import hosted

pytestmark = pytest.mark.django_db


def own_pages(registration) -> list[str]:
    token = registration.token()
    return [
        reverse("events:mine", args=[token]),
        reverse("events:cancel", args=[token]),
        reverse("events:my_ics", args=[token]),
    ]


def test_the_registrants_link_works_until_the_configured_days_after_the_event(client, settings):
    settings.EVENTS_LINK_DAYS_AFTER = 3
    event = online_meeting()
    registration = confirmed_registration(event, "ana@example.org")

    with time_machine.travel(event.ends_at + timedelta(days=3) - timedelta(minutes=1)):
        assert [client.get(url).status_code for url in own_pages(registration)] == [200] * 3
        assert JOIN_URL in client.get(own_pages(registration)[0]).content.decode()
    with time_machine.travel(event.ends_at + timedelta(days=3)):
        assert [client.get(url).status_code for url in own_pages(registration)] == [404] * 3


def test_the_registrants_link_dies_when_the_registration_is_cancelled(client):
    registration = confirmed_registration(online_meeting(), "ana@example.org")
    mine, cancel, _ics = own_pages(registration)
    assert JOIN_URL in client.get(mine).content.decode()

    assert client.post(cancel).status_code == 200

    assert [client.get(url).status_code for url in own_pages(registration)] == [404] * 3
    assert client.post(reverse("events:accept", args=[registration.token()])).status_code == 404


def test_the_registrants_link_dies_when_the_person_is_erased(client):
    registration = confirmed_registration(online_meeting(), "ana@example.org")
    pages = own_pages(registration)
    assert client.get(pages[0]).status_code == 200

    registration.supporter.erase()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 404
        assert JOIN_URL not in response.content.decode()


def approved_host_action() -> HostedAction:
    action = hosted()
    action.approve()
    return action


def test_the_hosts_report_link_works_until_the_configured_days_after_the_action(client, settings):
    settings.EVENTS_REPORT_LINK_DAYS_AFTER = 10
    action = approved_host_action()
    link = reverse("events:hosted_report", args=[action.report_token()])

    with time_machine.travel(action.ends_at + timedelta(days=10) - timedelta(minutes=1)):
        assert client.get(link).status_code == 200
    with time_machine.travel(action.ends_at + timedelta(days=10)):
        assert client.get(link).status_code == 404
        assert client.post(link, {"participants": "12", "text": "Late"}).status_code == 404


def test_the_hosts_report_link_dies_when_the_host_is_erased(client):
    action = approved_host_action()
    link = reverse("events:hosted_report", args=[action.report_token()])
    assert client.get(link).status_code == 200

    action.supporter.erase()

    assert client.get(link).status_code == 404
