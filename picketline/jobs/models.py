from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a periodic job last ran and is next due; one row per registered job.

    Workers claim a due job with a conditional UPDATE on ``next_run_at``, so with several
    workers each run happens once.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("scheduled job")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeatQuerySet(models.QuerySet["WorkerHeartbeat"]):
    def latest_beat(self) -> datetime | None:
        """When any worker last showed it was alive (None: no worker ever ran)."""
        return self.aggregate(latest=models.Max("beat_at"))["latest"]

    def silent_since(self, moment: datetime) -> WorkerHeartbeatQuerySet:
        return self.filter(beat_at__lt=moment)

    def alive_hosts(self, now: datetime) -> set[str]:
        """The machines with a live worker (a worker's id is ``<host>-<pid>``)."""
        alive = self.filter(beat_at__gte=now - stale_after()).values_list("worker", flat=True)
        return {worker.rsplit("-", 1)[0] for worker in alive}


class WorkerHeartbeat(models.Model):
    """A worker process's sign of life: its dispatcher writes ``beat_at`` once in a while after
    a round that reached the database. It names the machine and process, nothing else."""

    worker = models.CharField(_("worker"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    beat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.worker

    @classmethod
    def beat(cls, worker: str) -> None:
        now = timezone.now()
        if not cls.objects.filter(worker=worker).update(beat_at=now):
            cls.objects.update_or_create(
                worker=worker, defaults={"beat_at": now}, create_defaults={"started_at": now}
            )

    def is_alive(self, now: datetime | None = None) -> bool:
        return self.beat_at >= (now or timezone.now()) - stale_after()


def stale_after() -> timedelta:
    """A worker silent this long is taken for dead (PICKETLINE_WORKER_STALE_SECONDS)."""
    return timedelta(seconds=settings.WORKER_STALE_SECONDS)
