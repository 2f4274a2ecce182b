"""An event's number of registrations in the API: those who hold a place, and only once there
are enough of them that the number tells nobody who registered (the site shows no such number)."""

import pytest

from picketline.lib.small_counts import SMALLEST_SHOWN
from picketline.supporters.models import Supporter
from tests.campaigns.helpers import make_action, make_campaign
from tests.events.helpers import confirmed_registration, online_meeting

pytestmark = pytest.mark.django_db


def registered(event, count: int, start: int = 0) -> list:
    return [confirmed_registration(event, f"r{n}@example.net") for n in range(start, start + count)]


def published_counts(api) -> tuple:
    (listed,) = api.json("/api/v1/events")["items"]
    detail = api.json("/api/v1/events/meeting")
    (action,) = api.json("/api/v1/actions")["items"]
    return (
        listed["confirmed_registrations"],
        detail["confirmed_registrations"],
        action["confirmed_count"],
    )


def test_a_cancelled_or_erased_registration_is_not_counted(api):
    make_action(make_campaign(), "meet", destination="events/meeting/", kind="online_meeting")
    meeting = online_meeting(capacity=None)
    first, second, *_rest = registered(meeting, SMALLEST_SHOWN + 2)
    first.cancel()
    Supporter.objects.get(pk=second.supporter_id).erase()
    assert published_counts(api) == (SMALLEST_SHOWN,) * 3


def test_someone_waiting_for_a_place_holds_none(api):
    make_action(make_campaign(), "meet", destination="events/meeting/", kind="online_meeting")
    meeting = online_meeting(capacity=SMALLEST_SHOWN)
    *_seated, waiting = registered(meeting, SMALLEST_SHOWN + 1)
    assert waiting.status == "waitlisted"
    assert published_counts(api) == (SMALLEST_SHOWN,) * 3


def test_fewer_than_the_smallest_number_shown_is_published_as_null(api):
    make_action(make_campaign(), "meet", destination="events/meeting/", kind="online_meeting")
    meeting = online_meeting()
    registered(meeting, SMALLEST_SHOWN - 1)
    assert published_counts(api) == (None, None, None)
    registered(meeting, 1, start=SMALLEST_SHOWN)
    assert published_counts(api) == (SMALLEST_SHOWN,) * 3


def test_the_count_of_every_event_leaves_out_what_is_given_up_too(api):
    make_action(make_campaign(), "events", destination="events/", kind="online_meeting")
    meeting = online_meeting(capacity=None)
    first, *_rest = registered(meeting, SMALLEST_SHOWN + 1)
    first.cancel()
    (action,) = api.json("/api/v1/actions")["items"]
    assert action["confirmed_count"] == SMALLEST_SHOWN
