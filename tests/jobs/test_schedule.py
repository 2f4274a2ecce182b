"""Periodic jobs when things go wrong: a job that raises, two workers claiming one run, a
job that is not due, an app whose jobs module cannot be imported."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from picketline.jobs import schedule
from picketline.jobs.models import ScheduledJob


@pytest.fixture
def registry(monkeypatch):
    """An empty registry of periodic jobs for the test to fill (the apps' own jobs are loaded
    first, so loading them again registers nothing here)."""
    schedule.load_jobs()
    jobs: dict[str, schedule.PeriodicJob] = {}
    monkeypatch.setattr(schedule, "REGISTRY", jobs)
    return jobs


def register(name: str, func, interval: timedelta = timedelta(hours=1)) -> None:
    schedule.every(interval, name=name)(func)


@pytest.mark.django_db
def test_a_job_that_raises_records_its_error_and_the_next_job_still_runs(registry):
    ran = []

    def broken():
        raise ValueError("no such campaign")

    register("broken", broken)
    register("fine", lambda: ran.append("fine"))

    assert schedule.run_due() == ["broken", "fine"]

    assert ran == ["fine"]
    broken_row = ScheduledJob.objects.get(name="broken")
    assert broken_row.last_error == "ValueError: no such campaign"
    assert broken_row.last_finished_at is not None
    assert ScheduledJob.objects.get(name="fine").last_error == ""


@pytest.mark.django_db
def test_a_failed_job_waits_for_its_interval_before_it_runs_again(registry):
    calls = []

    def broken():
        calls.append(1)
        raise RuntimeError("down")

    register("broken", broken, interval=timedelta(minutes=10))
    now = timezone.now()

    schedule.run_due(now)
    schedule.run_due(now + timedelta(minutes=5))
    assert len(calls) == 1
    schedule.run_due(now + timedelta(minutes=10))
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_successful_run_clears_the_last_error(registry):
    outcomes = iter([RuntimeError("once"), None])

    def flaky():
        outcome = next(outcomes)
        if outcome:
            raise outcome

    register("flaky", flaky, interval=timedelta(minutes=1))
    now = timezone.now()
    schedule.run_due(now)
    assert ScheduledJob.objects.get(name="flaky").last_error == "RuntimeError: once"

    schedule.run_due(now + timedelta(minutes=1))
    assert ScheduledJob.objects.get(name="flaky").last_error == ""


@pytest.mark.django_db
def test_a_long_error_message_is_cut_to_fit_its_column(registry):
    def loud():
        raise RuntimeError("x" * 1000)

    register("loud", loud)
    schedule.run_due()
    assert len(ScheduledJob.objects.get(name="loud").last_error) == 300


@pytest.mark.django_db
def test_a_job_that_is_not_due_does_not_run(registry):
    ran = []
    register("hourly", lambda: ran.append(1))
    now = timezone.now()
    ScheduledJob.objects.create(name="hourly", next_run_at=now + timedelta(minutes=30))

    assert schedule.run_due(now) == []
    assert ran == []


@pytest.mark.django_db
def test_a_run_is_claimed_once_when_two_workers_ask_at_the_same_moment(registry):
    register("hourly", lambda: None)
    job = registry["hourly"]
    now = timezone.now()

    assert schedule.claim(job, now) is True
    assert schedule.claim(job, now) is False
    row = ScheduledJob.objects.get(name="hourly")
    assert row.next_run_at == now + timedelta(hours=1)
    assert row.last_started_at == now


@pytest.mark.django_db
def test_a_worker_with_a_slow_clock_does_not_run_a_job_again(registry):
    ran = []
    register("hourly", lambda: ran.append(1))
    now = timezone.now()
    schedule.run_due(now)
    # A second machine whose clock is a minute behind sees the job as just run.
    assert schedule.run_due(now - timedelta(minutes=1)) == []
    assert ran == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_a_due_job_run_it_once(registry):
    ran = []
    lock = threading.Lock()

    def job():
        with lock:
            ran.append(threading.current_thread().name)

    register("race", job)
    now = timezone.now()
    ScheduledJob.objects.create(name="race", next_run_at=now - timedelta(seconds=1))
    start = threading.Barrier(4)
    results = []

    def worker():
        try:
            start.wait()
            results.append(schedule.run_due(now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, name=f"w{i}") for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(ran) == 1
    assert sorted(len(names) for names in results) == [0, 0, 0, 1]


def test_an_app_without_a_jobs_module_is_skipped(monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(schedule, "import_module", missing)
    assert schedule.load_jobs() is schedule.REGISTRY


def test_a_jobs_module_whose_own_import_fails_is_not_hidden(monkeypatch):
    def broken(name):
        raise ModuleNotFoundError("No module named 'reportlab'", name="reportlab")

    monkeypatch.setattr(schedule, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="reportlab"):
        schedule.load_jobs()


@pytest.mark.django_db
def test_jobs_run_again_after_the_clock_was_ahead_and_is_set_right(registry):
    """A machine that starts with its clock a year ahead (a flat clock battery, NTP not yet
    answering) claims each job for a year ahead; once the clock is set right the jobs run on
    (mailings, reminders, retention), they do not wait for that year."""
    ran = []
    register("mailings", lambda: ran.append("mailings"), interval=timedelta(seconds=5))
    now = timezone.now()
    assert schedule.run_due(now + timedelta(days=365)) == ["mailings"]
    assert schedule.run_due(now) == ["mailings"]
    assert schedule.run_due(now + timedelta(seconds=1)) == []  # then its interval again
    assert schedule.run_due(now + timedelta(seconds=6)) == ["mailings"]
    assert ran == ["mailings"] * 3


@pytest.mark.django_db
def test_a_clock_a_few_minutes_behind_another_does_not_run_a_job_twice(registry):
    register("mailings", lambda: None, interval=timedelta(seconds=5))
    now = timezone.now()
    assert schedule.run_due(now) == ["mailings"]
    assert schedule.run_due(now - timedelta(minutes=5)) == []  # the other machine's clock
