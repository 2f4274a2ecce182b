from django.core.management.base import BaseCommand

from picketline.jobs import health
from picketline.jobs.models import WorkerHeartbeat


class Command(BaseCommand):
    help = (
        "Say whether the database, the cache, the outbox and the workers are working; "
        "exits with status 1 when any is not (for a monitor or a cron job)."
    )

    def handle(self, *args, **options):
        checks = health.report()
        for check in checks:
            self.stdout.write(check.line())
        if checks[0].ok:
            for heartbeat in WorkerHeartbeat.objects.all()[:20]:
                state = "alive" if heartbeat.is_alive() else "silent"
                self.stdout.write(
                    f"  worker {heartbeat.worker} {state} since "
                    f"{heartbeat.started_at:%Y-%m-%d %H:%M:%S}, last beat "
                    f"{heartbeat.beat_at:%Y-%m-%d %H:%M:%S} UTC"
                )
        if not all(check.ok for check in checks):
            raise SystemExit(1)
