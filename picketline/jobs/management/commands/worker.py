import os
import socket

from django.core.management.base import BaseCommand

from picketline.jobs import worker


class Command(BaseCommand):
    help = "Run background work: queued tasks, the mail outbox and periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do.",
        )
        parser.add_argument(
            "--until-idle", action="store_true", help="Do everything that is due, then exit."
        )

    def handle(self, *args, interval: float, until_idle: bool, **options):
        if until_idle:
            worker.drain(verbosity=options["verbosity"])
            return
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        self.stdout.write(f"Worker {worker_id} started")
        worker.run_forever(interval=interval, worker_id=worker_id, verbosity=options["verbosity"])
