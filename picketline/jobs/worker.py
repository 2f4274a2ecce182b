"""The background worker: Django tasks, the mail outbox and periodic jobs in one process.

The tasks queue (django-tasks' database backend) runs in the main thread, which also owns
signal handling; a second thread sends the outbox and runs due periodic jobs. Everything it
works on lives in the database, so the process can be killed at any moment and restarted.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import close_old_connections, connections

from picketline.jobs import schedule
from picketline.mail import outbox

logger = logging.getLogger(__name__)

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


class Dispatcher(threading.Thread):
    def __init__(self, interval: float = 1.0, batch: int = 200) -> None:
        super().__init__(name="picketline-dispatcher", daemon=True)
        self.interval = interval
        self.batch = batch
        self.stopping = threading.Event()
        self.next_jobs_check = 0.0

    def run_once(self) -> int:
        """One round: send what is due, run due jobs. Returns how much work was done."""
        close_old_connections()
        done = 0
        try:
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
        return done

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                if not self.run_once():
                    self.stopping.wait(self.interval)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()


def run_forever(interval: float = 1.0, worker_id: str = "picketline", verbosity: int = 1) -> None:
    dispatcher = Dispatcher(interval=interval)
    dispatcher.start()
    try:
        # django-tasks-db's documented worker; it handles SIGINT/SIGTERM in this thread and
        # finishes the task in hand before it exits.
        run_tasks(interval=interval, worker_id=worker_id, verbosity=verbosity)
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=30)


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
