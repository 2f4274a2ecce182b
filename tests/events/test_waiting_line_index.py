"""The waiting line of an event is read from its own partial index, in order, however many
people wait for other events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from picketline.events.models import Registration
from tests.events.helpers import online_meeting, street_action

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def waiting(event, count: int, start) -> list[Registration]:
    return Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.WAITLISTED,
            waitlisted_at=start + timedelta(seconds=n),
            language="en",
        )
        for n in range(count)
    )


def test_the_next_in_line_and_a_place_in_line_come_from_the_waiting_line_index():
    assert connection.vendor == "postgresql"
    now = timezone.now()
    meeting = online_meeting(capacity=2)
    crowded = street_action(capacity=1, registration_required=True)
    waiting(crowded, 3000, now)
    mine = waiting(meeting, 5, now)
    Registration.objects.bulk_create(
        Registration(event=meeting, status=Registration.Status.CONFIRMED, seat=n, language="en")
        for n in (1, 2)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Registration._meta.db_table}")

    line = meeting.registrations.waiting()
    assert [r.pk for r in line] == [r.pk for r in mine]
    plan = meeting.registrations.waiting()[:1].explain()
    assert "events_waiting_line" in plan, plan
    assert "Sort" not in plan, plan

    last = Registration.objects.get(pk=mine[-1].pk)
    assert last.waitlist_position() == 5
    ahead = meeting.registrations.waiting().filter(waitlisted_at__lt=last.waitlisted_at)
    plan = ahead.explain()
    assert "events_waiting_line" in plan, plan
