"""The waiting line of an event is read from its own partial index, in order, however many
people wait for other events: the line itself, and the statement that finds who is offered
the next free seat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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

    # The seats question, as the confirmation and the offer of a freed seat run it.
    Registration.objects.filter(event=meeting, seat=2).update(seat=None, status="cancelled")
    with CaptureQueriesContext(connection) as queries:
        seat, first_waiting = meeting._seats_question()
    assert (seat, first_waiting) == (2, mine[0].pk)
    [question] = [q["sql"] for q in queries.captured_queries if "free.seat" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + question)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "events_waiting_line" in plan, plan

    last = Registration.objects.get(pk=mine[-1].pk)
    assert last.waitlist_position() == 5
