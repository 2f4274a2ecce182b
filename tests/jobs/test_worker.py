"""The worker when things go wrong: the outbox or the database failing between rounds, a
failing task, a drain that never runs dry, and stopping."""

from __future__ import annotations

import logging
import os
import signal
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.db import OperationalError, connection, connections

from picketline.jobs import schedule, worker
from picketline.jobs.models import WorkerHeartbeat
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.jobs import tasks

DISPATCHER = "picketline-dispatcher"


def dispatcher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == DISPATCHER and t.is_alive()]


@pytest.fixture
def restore_signals():
    kept = {sig: signal.getsignal(sig) for sig in worker.STOP_SIGNALS}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


# --- the dispatcher -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dispatcher_still_runs_due_jobs_when_the_outbox_fails(monkeypatch, caplog):
    def refused(limit):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(outbox, "send_due", refused)
    monkeypatch.setattr(schedule, "run_due", lambda: ["purge"])

    with caplog.at_level(logging.ERROR, logger="picketline.jobs.worker"):
        assert worker.Dispatcher(interval=0).run_once() == 1
    assert "outbox delivery failed" in caplog.text


@pytest.mark.django_db
def test_a_round_survives_the_database_failing_while_it_looks_for_jobs(monkeypatch, caplog):
    def database_gone(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(outbox, "send_due", database_gone)
    monkeypatch.setattr(schedule, "run_due", database_gone)

    with caplog.at_level(logging.ERROR, logger="picketline.jobs.worker"):
        assert worker.Dispatcher(interval=0).run_once() == 0
    assert "periodic jobs failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_dispatcher_thread_keeps_going_after_a_failed_round(monkeypatch):
    looked = []
    second_look = threading.Event()

    def run_due():
        looked.append(1)
        if len(looked) == 1:
            raise OperationalError("the database is restarting")
        second_look.set()
        return []

    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", run_due)
    dispatcher = worker.Dispatcher(interval=0.01)
    dispatcher.start()
    try:
        assert second_look.wait(timeout=10)
        assert dispatcher.is_alive()
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=10)
    assert not dispatcher.is_alive()


@pytest.mark.django_db(transaction=True)
def test_stopping_an_idle_dispatcher_ends_its_wait_at_once(monkeypatch):
    looked = threading.Event()
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: looked.set() or [])
    dispatcher = worker.Dispatcher(interval=3600)
    dispatcher.start()
    assert looked.wait(timeout=10)

    dispatcher.stop()
    dispatcher.join(timeout=10)
    assert not dispatcher.is_alive()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_dispatcher_reconnects_when_the_server_drops_its_connection():
    for address in ("ana@example.org", "bo@example.org"):
        OutgoingMessage.queue(to=[address], subject="Hello", text="Hello", kind="test")
    dispatcher = worker.Dispatcher(interval=0, batch=1)
    assert dispatcher.run_once() >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()

    # An administrator (or a server restart) ends this process's session between rounds.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()

    for _ in range(3):  # no round raises; within a few a new connection sends the rest
        dispatcher.run_once()
        if len(mail.outbox) == 2:
            break
    assert [m.to for m in mail.outbox] == [["ana@example.org"], ["bo@example.org"]]


@pytest.mark.django_db
def test_a_round_survives_closing_a_connection_that_fails(monkeypatch, caplog):
    def restarting():
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(worker, "close_old_connections", restarting)
    monkeypatch.setattr(schedule, "run_due", lambda: [])

    with caplog.at_level(logging.ERROR, logger="picketline.jobs.worker"):
        assert worker.Dispatcher(interval=0).run_once() == 0
    assert "outbox delivery failed" in caplog.text


@pytest.mark.django_db(transaction=True)  # a round closes a connection left in a transaction
def test_a_dispatcher_with_a_worker_id_writes_its_heartbeat_once_in_a_while(monkeypatch):
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])
    dispatcher = worker.Dispatcher(interval=0, worker_id="host-42")
    dispatcher.run_once()
    first = WorkerHeartbeat.objects.get(worker="host-42").beat_at
    dispatcher.run_once()  # within HEARTBEAT_SECONDS: no second write
    assert WorkerHeartbeat.objects.get(worker="host-42").beat_at == first

    dispatcher.next_beat = 0.0  # the interval is over
    dispatcher.run_once()
    assert WorkerHeartbeat.objects.get(worker="host-42").beat_at > first


@pytest.mark.django_db
def test_a_round_that_cannot_reach_the_database_writes_no_heartbeat(monkeypatch, caplog):
    def database_gone(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])
    monkeypatch.setattr(WorkerHeartbeat, "beat", database_gone)
    with caplog.at_level(logging.ERROR, logger="picketline.jobs.worker"):
        worker.Dispatcher(interval=0, worker_id="host-42").run_once()
    assert "heartbeat not written" in caplog.text


def test_drain_writes_no_heartbeat():
    assert worker.Dispatcher(interval=0).worker_id == ""


# --- draining -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_drain_runs_the_tasks_and_then_sends_the_mail_they_queue(restore_signals):
    result = tasks.queue_a_mail.enqueue("ana@example.org")

    worker.drain()

    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_does_not_stop_the_drain(restore_signals):
    failing = tasks.fail.enqueue()
    tasks.queue_a_mail.enqueue("bo@example.org")

    worker.drain()

    failing.refresh()
    assert failing.status.name == "FAILED"
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]


def test_drain_gives_up_after_its_rounds_when_work_keeps_coming(monkeypatch, caplog):
    rounds = []
    monkeypatch.setattr(worker, "run_tasks", lambda **options: rounds.append(options))
    monkeypatch.setattr(worker.Dispatcher, "run_once", lambda self: 1)

    with caplog.at_level(logging.WARNING, logger="picketline.jobs.worker"):
        worker.drain(max_rounds=3)

    assert len(rounds) == 3
    assert all(options["until_empty"] for options in rounds)
    assert "stopped after 3 rounds" in caplog.text


def test_drain_stops_at_the_first_round_with_nothing_to_do(monkeypatch):
    rounds = []
    monkeypatch.setattr(worker, "run_tasks", lambda **options: rounds.append(options))
    work = iter([5, 1, 0, 7])
    monkeypatch.setattr(worker.Dispatcher, "run_once", lambda self: next(work))

    worker.drain()
    assert len(rounds) == 3


@pytest.mark.django_db(transaction=True)
def test_drain_leaves_the_callers_signal_handlers_in_place(restore_signals):
    def ours(signum, frame):
        pass

    signal.signal(signal.SIGTERM, ours)
    worker.drain()
    assert signal.getsignal(signal.SIGTERM) is ours


# --- running for good ---------------------------------------------------------------------


def test_the_dispatcher_stops_when_the_tasks_worker_exits(monkeypatch):
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])
    seen_running = []

    def tasks_worker(**options):
        seen_running.append(bool(dispatcher_threads()))
        raise SystemExit(0)  # what db_worker does on SIGTERM between tasks

    monkeypatch.setattr(worker, "run_tasks", tasks_worker)
    with pytest.raises(SystemExit):
        worker.run_forever(interval=0.01)

    assert seen_running == [True]
    assert dispatcher_threads() == []


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_worker_and_its_dispatcher(monkeypatch, restore_signals):
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])

    def too_early(signum, frame):
        raise SystemExit("SIGTERM came before the worker's handler was in place")

    signal.signal(signal.SIGTERM, too_early)

    def send_sigterm_once_the_worker_listens():
        for _ in range(1000):
            if signal.getsignal(signal.SIGTERM) is not too_early:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.01)

    sender = threading.Thread(target=send_sigterm_once_the_worker_listens)
    sender.start()
    with pytest.raises(SystemExit) as stopped:
        worker.run_forever(interval=0.05, worker_id="test")
    sender.join(timeout=10)

    assert stopped.value.code == 0
    assert dispatcher_threads() == []


class ThreadKiller(BaseException):
    """What no round's guard catches: stands for a bug or an error that is no Exception."""


@pytest.mark.django_db(transaction=True)
def test_the_death_of_the_dispatcher_ends_the_worker_with_a_failure(
    monkeypatch, restore_signals, caplog
):
    def too_early(signum, frame):
        raise SystemExit("SIGTERM came before the worker's handler was in place")

    signal.signal(signal.SIGTERM, too_early)

    def send_due(limit):
        if signal.getsignal(signal.SIGTERM) is too_early:
            return 0  # let the tasks worker put its handler in place first
        raise ThreadKiller

    monkeypatch.setattr(outbox, "send_due", send_due)
    monkeypatch.setattr(schedule, "run_due", lambda: [])
    started = time.monotonic()
    with caplog.at_level(logging.CRITICAL, logger="picketline.jobs.worker"):
        with pytest.raises(SystemExit) as stopped:
            worker.run_forever(interval=0.05, worker_id="test")

    assert stopped.value.code == worker.EXIT_DISPATCHER_DIED
    assert time.monotonic() - started < 30
    assert "the dispatcher thread died" in caplog.text
    assert dispatcher_threads() == []


def test_an_error_in_the_tasks_thread_ends_the_worker_and_its_dispatcher(monkeypatch):
    monkeypatch.setattr(outbox, "send_due", lambda limit: 0)
    monkeypatch.setattr(schedule, "run_due", lambda: [])

    def tasks_worker(**options):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(worker, "run_tasks", tasks_worker)
    with pytest.raises(OperationalError):
        worker.run_forever(interval=0.01)
    assert dispatcher_threads() == []
