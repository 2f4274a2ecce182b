"""Rate-limit counters without Redis: rows of the site's database, counted in one statement, so
every process sees every hit and none is lost to a race."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from picketline.web import limits
from picketline.web.models import Counter


@pytest.mark.django_db
def test_it_counts_each_hit_in_its_window_and_forgets_on_request():
    assert [limits.count_hit("k", 60) for _ in range(3)] == [1, 2, 3]
    assert limits.hits("k", 60) == 3
    assert limits.hits("other", 60) == 0
    limits.forget(("k", 60))
    assert limits.hits("k", 60) == 0


@pytest.mark.django_db
def test_a_new_window_starts_from_zero_and_the_old_rows_are_purged():
    with time_machine.travel("2026-12-04 10:00:05", tick=False):
        limits.count_hit("k", 60)
        limits.count_hit("k", 60)
    with time_machine.travel("2026-12-04 10:01:05", tick=False):
        assert limits.count_hit("k", 60) == 1
        assert limits.purge_expired() == 1
    assert Counter.objects.count() == 1


@pytest.mark.django_db
def test_a_one_time_key_is_new_once_until_it_expires():
    with time_machine.travel("2026-12-04 10:00:00", tick=False):
        assert limits.add_once("token", 60)
        assert not limits.add_once("token", 60)
    with time_machine.travel("2026-12-04 10:02:00", tick=False):
        assert limits.add_once("token", 60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_from_many_connections_are_all_counted():
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def hit() -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(25):
                limits.count_hit("busy", 3600)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert limits.hits("busy", 3600) == 200
