"""The background worker: Django tasks, the mail outbox and periodic jobs in one process.

The tasks queue (django-tasks' database backend) runs in the main thread, which also owns
signal handling; a second thread sends the outbox and runs due periodic jobs. Everything it
works on lives in the database, so the process can be killed at any moment and restarted.
What a killed process left in this machine's upload folder is swept by every worker process
itself, at start and hourly (``web.uploads.delete_leftovers``): a periodic job runs on one
worker of the cluster, and each machine has a folder of its own.

Neither thread dies alone: an error in a round is logged and the next round goes on, and should
anything still end the second thread, the whole process stops with ``EXIT_DISPATCHER_DIED`` so
that its supervisor (systemd) starts it again instead of leaving mail unsent. While it works, the
second thread writes a heartbeat (``jobs.WorkerHeartbeat``) that ``/readyz``, ``picketline
status`` and the admin show.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import close_old_connections, connections

from picketline.jobs import schedule
from picketline.jobs.models import WorkerHeartbeat
from picketline.mail import outbox
from picketline.web import uploads

logger = logging.getLogger(__name__)

EXIT_DISPATCHER_DIED = 70  # EX_SOFTWARE
HEARTBEAT_SECONDS = 10.0  # at most one heartbeat write per this many seconds
LEFTOVERS_SECONDS = 3600.0  # this machine's upload folder is swept this often

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


class Dispatcher(threading.Thread):
    """Sends the outbox and runs due jobs, round after round. With a ``worker_id`` (a worker
    that runs for good) it also writes the worker's heartbeat and sweeps this machine's upload
    folder; ``on_death`` is called if the thread ends unasked."""

    def __init__(
        self,
        interval: float = 1.0,
        batch: int = 200,
        worker_id: str = "",
        on_death: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="picketline-dispatcher", daemon=True)
        self.interval = interval
        self.batch = batch
        self.worker_id = worker_id
        self.on_death = on_death
        self.died = False
        self.stopping = threading.Event()
        self.next_jobs_check = 0.0
        self.next_beat = 0.0
        self.next_leftovers_sweep = 0.0

    def run_once(self) -> int:
        """One round: send what is due, run due jobs. Returns how much work was done."""
        done = 0
        try:
            # Inside the guard: while the database restarts, even closing a dead connection
            # can fail, and that must cost one round, not the thread.
            close_old_connections()
            done += outbox.send_due(self.batch)
        except Exception:
            logger.exception("outbox delivery failed; will retry")
        # Looking for due jobs costs two queries a job; while the outbox keeps the rounds
        # short, once per interval is soon enough for jobs that run every few minutes.
        if time.monotonic() >= self.next_jobs_check:
            # run_due records a failing job itself; what reaches here is the database failing
            # (a restart, a dropped connection). Left to rise, it would end this thread while
            # the tasks worker runs on, and no mail would go out until someone restarted it.
            try:
                done += len(schedule.run_due())
            except Exception:
                logger.exception("periodic jobs failed; will retry")
            self.next_jobs_check = time.monotonic() + self.interval
        if self.worker_id and time.monotonic() >= self.next_beat:
            # Only a round that reached the database says the worker is alive.
            try:
                WorkerHeartbeat.beat(self.worker_id)
                self.next_beat = time.monotonic() + HEARTBEAT_SECONDS
            except Exception:
                logger.exception("heartbeat not written; will retry")
        if self.worker_id and time.monotonic() >= self.next_leftovers_sweep:
            # Not counted as work done: a sweep makes nothing for the next round to do.
            try:
                uploads.delete_leftovers()
            except Exception:
                logger.exception("the upload folder was not swept; tried again in an hour")
            self.next_leftovers_sweep = time.monotonic() + LEFTOVERS_SECONDS
        return done

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                if not self.run_once():
                    self.stopping.wait(self.interval)
        except BaseException:
            # Past every guard in run_once: a bug, or an error that is no Exception. Mail
            # would silently stop while the tasks thread ran on, so the process goes instead.
            self.died = True
            logger.critical("the dispatcher thread died; stopping the worker", exc_info=True)
            if self.on_death is not None:
                self.on_death()
        finally:
            try:
                connections.close_all()
            except Exception:
                logger.warning("closing the dispatcher's connections failed", exc_info=True)

    def stop(self) -> None:
        self.stopping.set()


def stop_this_process() -> None:
    """Ask the main thread to stop: ``db_worker`` takes SIGTERM as "finish the task in hand,
    then exit", and ``run_forever`` turns that exit into a failure."""
    os.kill(os.getpid(), signal.SIGTERM)


def run_forever(interval: float = 1.0, worker_id: str = "picketline", verbosity: int = 1) -> None:
    """Run until stopped. A signal ends it with status 0; the death of either thread ends the
    whole process with a non-zero status (the tasks thread's error rises from here)."""
    dispatcher = Dispatcher(interval=interval, worker_id=worker_id, on_death=stop_this_process)
    dispatcher.start()
    try:
        # django-tasks-db's documented worker; it handles SIGINT/SIGTERM in this thread and
        # finishes the task in hand before it exits.
        run_tasks(interval=interval, worker_id=worker_id, verbosity=verbosity)
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=30)
        if dispatcher.died:
            raise SystemExit(EXIT_DISPATCHER_DIED)


def drain(max_rounds: int = 1000, verbosity: int = 1) -> None:
    """Run tasks, mail and due jobs until nothing is left (for `worker --until-idle`).

    A task may queue mail and a job may queue tasks, so the rounds go on until one finds
    neither; ``max_rounds`` bounds a job that keeps making work for itself. Call it from the
    main thread: ``db_worker`` sets signal handlers, which Python allows only there.
    """
    dispatcher = Dispatcher(interval=0)
    for _ in range(max_rounds):
        with signal_handlers_kept():
            run_tasks(interval=0, worker_id="drain", verbosity=verbosity, until_empty=True)
        if not dispatcher.run_once():
            return
    logger.warning("drain stopped after %d rounds with work still coming", max_rounds)


def run_tasks(
    *, interval: float, worker_id: str, verbosity: int = 1, until_empty: bool = False
) -> None:
    """Run the tasks queue with django-tasks-db's ``db_worker`` command: every queue, no
    reloading; ``until_empty`` returns once the queue has nothing ready."""
    call_command(
        "db_worker",
        queue_name="*",
        interval=interval,
        batch=until_empty,
        reload=False,
        startup_delay=not until_empty,
        worker_id=worker_id,
        verbosity=verbosity,
    )


@contextmanager
def signal_handlers_kept() -> Iterator[None]:
    """``db_worker`` installs its own SIGINT/SIGTERM handlers; a drain that has returned
    should leave the caller's in place (Ctrl-C in a test run or a shell)."""
    kept = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in kept.items():
            if handler is not None:
                signal.signal(sig, handler)
