"""The background worker: Django tasks, the mail outbox and periodic jobs in one process.

The tasks queue (django-tasks' database backend) runs in the main thread, which also owns
signal handling; a second thread sends the outbox and runs due periodic jobs. Everything it
works on lives in the database, so the process can be killed at any moment and restarted.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connections

from picketline.jobs import schedule
from picketline.mail import outbox

logger = logging.getLogger(__name__)


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
            done += len(schedule.run_due())
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


def run_forever(interval: float = 1.0, worker_id: str = "picketline") -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    dispatcher = Dispatcher(interval=interval)
    dispatcher.start()
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    try:
        worker.run()
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=30)


def drain(max_rounds: int = 1000) -> None:
    """Run tasks, mail and due jobs until nothing is left (for `worker --until-idle`)."""
    from django_tasks_db.management.commands.db_worker import Worker

    dispatcher = Dispatcher(interval=0)
    for _ in range(max_rounds):
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="drain",
            excluded_queue_names=[],
        ).run()
        if not dispatcher.run_once():
            return
        time.sleep(0)
