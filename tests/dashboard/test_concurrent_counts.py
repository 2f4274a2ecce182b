"""Requests that count on the same day at the same instant, each in its own transaction on
PostgreSQL, all count: the first creates the day's row, the others add to it."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from picketline.dashboard import counting
from picketline.dashboard.models import DailyCount

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_counts_of_a_new_day_all_count():
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []
    key = (date(2030, 1, 1), "letters.letter", "3", "DE", "de", 0, "")

    def count() -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                counting.add({key: (1, 1)})
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    row = DailyCount.objects.get(dimension="country", value="DE")
    assert (row.submitted, row.confirmed) == (6, 6)
