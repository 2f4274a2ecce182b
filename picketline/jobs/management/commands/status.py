from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from picketline.jobs import health
from picketline.jobs.models import WorkerHeartbeat


class Command(BaseCommand):
    help = (
        "Say whether the database, the cache, the outbox and the workers are working, and "
        "whether workers on several machines share a cache; exits with status 1 when not."
    )

    def handle(self, *args, **options):
        checks = health.report()
        for check in checks:
            self.stdout.write(check.line())
        failed = not all(check.ok for check in checks)
        if not health.serving(checks):
            health.warn_not_serving(checks)  # what the database or the cache raised, on stderr
        if checks[0].ok:
            hosts = WorkerHeartbeat.objects.alive_hosts(timezone.now())
            if len(hosts) > 1 and not settings.REDIS_URL:
                # Each machine's cached pages would never hear of an edit made on another.
                self.stdout.write(f"machines {len(hosts)} without a shared cache (REDIS_URL)")
                failed = True
            for heartbeat in WorkerHeartbeat.objects.all()[:20]:
                state = "alive" if heartbeat.is_alive() else "silent"
                self.stdout.write(
                    f"  worker {heartbeat.worker} {state} since "
                    f"{heartbeat.started_at:%Y-%m-%d %H:%M:%S}, last beat "
                    f"{heartbeat.beat_at:%Y-%m-%d %H:%M:%S} UTC"
                )
        if failed:
            raise SystemExit(1)
