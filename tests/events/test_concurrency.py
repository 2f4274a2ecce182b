"""Seats under load, on PostgreSQL: many people confirming at the same moment, each in their
own thread and database connection."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from picketline.events.models import Registration
from tests.events.helpers import online_meeting, registration_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 200
SEATS = 50
THREADS = 20


def run_in_threads(jobs: list, threads: int = THREADS) -> None:
    """Run the jobs at once in ``threads`` threads, each with its own connection; re-raise the
    first error."""
    barrier = threading.Barrier(threads)
    chunks = [jobs[n::threads] for n in range(threads)]

    def work(chunk: list) -> None:
        try:
            barrier.wait(timeout=60)
            for job in chunk:
                job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(work, chunk) for chunk in chunks]:
            future.result(timeout=300)


def test_it_gives_exactly_the_seats_there_are_and_waitlists_the_rest():
    assert connection.vendor == "postgresql"
    event = online_meeting(capacity=SEATS)

    def register(number: int):
        def job() -> None:
            registration_for(event, f"person{number}@example.org").confirm()

        return job

    run_in_threads([register(n) for n in range(PEOPLE)])

    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == PEOPLE
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED)
    waiting = registrations.filter(status=Registration.Status.WAITLISTED)
    assert confirmed.count() == SEATS
    assert waiting.count() == PEOPLE - SEATS
    seats = list(confirmed.values_list("seat", flat=True))
    assert sorted(seats) == list(range(1, SEATS + 1))  # every seat once, none twice
    assert not waiting.filter(seat__isnull=False).exists()
    # everyone seated confirmed before everyone waiting
    last_seated = max(confirmed.values_list("seated_at", flat=True))
    first_waiting = min(waiting.values_list("waitlisted_at", flat=True))
    assert last_seated <= first_waiting

    # Ten people cancel at the same moment: the first ten waiting are offered a seat, in order.
    queue = list(event.registrations.waiting().values_list("pk", flat=True))
    leaving = list(confirmed.order_by("?")[:10])
    freed_seats = sorted(r.seat for r in leaving)

    def cancel(registration: Registration):
        return registration.cancel

    run_in_threads([cancel(r) for r in leaving], threads=10)

    offered = registrations.filter(status=Registration.Status.OFFERED)
    assert sorted(offered.values_list("pk", flat=True)) == sorted(queue[:10])
    assert list(event.registrations.waiting().values_list("pk", flat=True)) == queue[10:]
    holding = list(registrations.filter(seat__isnull=False).values_list("seat", flat=True))
    assert sorted(holding) == list(range(1, SEATS + 1))
    assert sorted(r.seat for r in offered) == freed_seats


def test_a_new_registration_does_not_wait_for_a_confirmation_holding_the_seats_lock():
    """Confirming locks the event's row to give seats one at a time; a registration being
    stored at that moment checks its reference to the event when it commits. The lock must
    not block that check: two web processes, one storing (and holding a row of the day's
    counts) and one confirming (wanting that row), would otherwise wait for each other until
    PostgreSQL ends one with "deadlock detected" (seen in bench/run-journey with two workers)."""
    event = online_meeting(capacity=SEATS)
    confirming = registration_for(event, "first@example.org")
    lock_held = threading.Event()
    stored = threading.Event()
    errors: list[BaseException] = []

    def confirm_and_hold() -> None:
        try:
            with transaction.atomic():
                confirming.confirm()  # takes the event's lock, kept until this block ends
                lock_held.set()
                stored.wait(timeout=10)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    def store_a_registration() -> None:
        try:
            assert lock_held.wait(timeout=10)
            registration_for(event, "second@example.org")  # autocommit: checked at once
            stored.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    started = time.monotonic()
    threads = [
        threading.Thread(target=confirm_and_hold),
        threading.Thread(target=store_a_registration),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert stored.is_set()
    assert time.monotonic() - started < 5  # the store did not wait for the confirmation's end
    assert Registration.objects.filter(event=event).count() == 2


def test_racing_confirmations_fill_the_freed_numbers_and_never_share_a_seat():
    event = online_meeting(capacity=10)
    Registration.objects.bulk_create(
        Registration(event=event, status=Registration.Status.CONFIRMED, seat=seat)
        for seat in (1, 2, 4, 5, 7, 8)
    )
    racing = [registration_for(event, f"racer{n}@example.org") for n in range(12)]
    run_in_threads([racer.confirm for racer in racing], threads=12)

    mine = Registration.objects.filter(pk__in=[r.pk for r in racing])
    seated = mine.filter(status=Registration.Status.CONFIRMED)
    assert sorted(seated.values_list("seat", flat=True)) == [3, 6, 9, 10]
    assert mine.filter(status=Registration.Status.WAITLISTED, seat__isnull=True).count() == 8
    held = Registration.objects.filter(event=event, seat__isnull=False)
    assert sorted(held.values_list("seat", flat=True)) == list(range(1, 11))
