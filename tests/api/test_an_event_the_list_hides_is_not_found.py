"""The API's event by its slug refuses whatever the list of events hides (an action supporters
hold in a country marked as dangerous for supporters, also one marked after it was published),
with the very answer an unknown slug gets; and no action's count of registrants names it."""

from __future__ import annotations

import pytest

from picketline.campaigns.models import SupporterAction
from tests.campaigns.helpers import make_action, make_campaign
from tests.events.helpers import confirmed_registration
from tests.events.test_an_action_the_list_hides_has_no_page_by_its_address import (
    PLACE,
    TITLE,
    held_in_poland,
    mark_poland,
)

pytestmark = pytest.mark.django_db


def test_its_slug_is_answered_as_an_unknown_one(api, django_capture_on_commit_callbacks):
    event = held_in_poland()
    assert api.json(f"/api/v1/events/{event.slug}")["title"] == TITLE

    mark_poland(django_capture_on_commit_callbacks)
    found, unknown = api.get(f"/api/v1/events/{event.slug}"), api.get("/api/v1/events/nope")
    assert found.status_code == unknown.status_code == 404
    assert found.json() == unknown.json()
    assert TITLE not in found.content.decode() and PLACE not in found.content.decode()
    assert api.json("/api/v1/events")["items"] == []


def test_no_count_names_it(api, django_capture_on_commit_callbacks):
    event = held_in_poland()
    make_action(make_campaign(), "vigil", destination=f"events/{event.slug}/")
    make_action(SupporterAction.objects.get().campaign, "all", destination="events/")
    for number in range(5):  # enough to be published
        confirmed_registration(event, f"r{number}@example.org")
    counts = {a["slug"]: a["confirmed_count"] for a in api.json("/api/v1/actions")["items"]}
    assert counts == {"vigil": 5, "all": 5}

    mark_poland(django_capture_on_commit_callbacks)
    counts = {a["slug"]: a["confirmed_count"] for a in api.json("/api/v1/actions")["items"]}
    assert counts == {"vigil": None, "all": None}
