""" "Seen only by the organisers", says the registration form of a registrant's interpretation
and accessibility needs: not the public, not the API, not a staff account whose role does not
include registrants' details (a viewer, a moderator); an organiser does."""

from __future__ import annotations

import pytest

from picketline.accounts.roles import ensure_roles
from tests.events.helpers import confirmed_registration, online_meeting
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db

NEEDS = {"interpretation_needs": "into Latgalian", "accessibility_needs": "the side-door ramp"}


def shows_needs(client, path: str) -> bool:
    page = client.get(path)
    assert page.status_code in (200, 403), (path, page.status_code)
    return any(need in page.content.decode() for need in NEEDS.values())


def test_needs_are_seen_only_by_the_organisers(client):
    ensure_roles()
    event = online_meeting()
    confirmed_registration(event, "ona@example.org", **NEEDS)
    for path in (f"/en/events/{event.slug}/", "/api/v1/events", f"/api/v1/events/{event.slug}"):
        assert not shows_needs(client, path), path
    registrants = f"/en/events/organise/{event.slug}/"
    for role in ("viewer", "moderator"):
        login_verified(client, make_staff(role, superuser=False, groups=[role]))
        assert not shows_needs(client, registrants), role
        client.logout()
    login_verified(client, make_staff("orga", superuser=False, groups=["organiser"]))
    assert shows_needs(client, registrants)
