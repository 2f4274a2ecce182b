"""Counting under concurrency, each request in its own transaction on PostgreSQL: requests
that count at the same instant neither wait for each other nor lose a count, and folds that
add up at the same time count every pending row once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, connections, transaction

from picketline.dashboard import counting
from picketline.dashboard.models import DailyCount, PendingCount
from tests.fixtures.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_counts_of_a_new_day_all_count():
    assert connection.vendor == "postgresql"
    key = (date(2030, 1, 1), "letters.letter", "3", "DE", "de", 0, "")

    def count() -> None:
        with transaction.atomic():
            counting.add({key: (1, 1)})

    at_once(count, threads=6)
    row = DailyCount.objects.get(dimension="country", value="DE")
    assert (row.submitted, row.confirmed) == (6, 6)


KEY = (date(2030, 1, 2), "letters.letter", "3", "DE", "de", 0, "")


def second_while_first_is_open(first, second) -> BaseException | None:
    """Run ``first`` in a transaction left open, then ``second`` in another with a lock
    timeout; what ``second`` raised (None if it went through)."""
    opened, finished = threading.Event(), threading.Event()
    raised: list[BaseException | None] = [None]

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                opened.set()
                finished.wait(timeout=20)
        finally:
            connections.close_all()

    def follow() -> None:
        try:
            opened.wait(timeout=20)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                second()
        except BaseException as exc:  # reported to the test
            raised[0] = exc
        finally:
            finished.set()
            connections.close_all()

    threads = [threading.Thread(target=hold), threading.Thread(target=follow)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return raised[0]


def test_a_request_counting_does_not_wait_for_another_still_open():
    """What a request writes is a row of its own: a second confirmation of the same kind on
    the same day goes through while the first one's transaction is still open. Adding to the
    day's shared rows directly would have made it wait for the first one's commit."""
    assert connection.vendor == "postgresql"
    appended = second_while_first_is_open(
        lambda: counting.note([(KEY, 0, 1)]), lambda: counting.note([(KEY, 0, 1)])
    )
    assert appended is None
    assert PendingCount.objects.count() == 2

    # The shared rows: the second waits, and gives up at its lock timeout.
    counting.fold()
    waited = second_while_first_is_open(
        lambda: counting.add({KEY: (0, 1)}), lambda: counting.add({KEY: (0, 1)})
    )
    assert isinstance(waited, OperationalError) and "lock timeout" in str(waited)


def test_folds_at_the_same_time_count_every_pending_row_once():
    assert connection.vendor == "postgresql"
    keys = [(date(2030, 1, 3), "letters.letter", str(n % 7), "DE", "de", 0, "") for n in range(300)]
    for n in range(0, 300, 2):
        counting.note([(keys[n], 1, 0), (keys[n + 1], 0, 1)])
    folded = at_once(lambda: counting.fold(batch=40), threads=3)
    assert sum(folded) == 300
    assert not PendingCount.objects.exists()
    row = DailyCount.objects.get(dimension="all", day=date(2030, 1, 3))
    assert (row.submitted, row.confirmed) == (150, 150)
