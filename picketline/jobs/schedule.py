"""Periodic jobs: functions registered with ``@every(...)`` that the worker runs when due.

Apps register their jobs in ``jobs.py`` (imported by the worker), e.g.::

    @every(timedelta(hours=1))
    def purge_unconfirmed() -> None: ...

A job must be idempotent: it may be killed half-way and run again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    func: Callable[[], object]


REGISTRY: dict[str, PeriodicJob] = {}


def every(interval: timedelta, name: str | None = None) -> Callable:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        REGISTRY[job_name] = PeriodicJob(job_name, interval, func)
        return func

    return register


def load_jobs() -> dict[str, PeriodicJob]:
    for config in apps.get_app_configs():
        if config.name.startswith("picketline."):
            try:
                import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
    return REGISTRY


# How far apart the clocks of the machines sharing the database may be. A next run further
# ahead than a job's interval and this can only have been set by a clock that was ahead (a
# machine that started with a wrong clock, set right since): the job is due, or it would wait
# for as long as that clock was wrong.
CLOCK_SLACK = timedelta(minutes=10)


def claim(job: PeriodicJob, now: datetime) -> bool:
    from picketline.jobs.models import ScheduledJob

    row, _ = ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    due = Q(next_run_at__lte=now) | Q(next_run_at__gt=now + job.interval + CLOCK_SLACK)
    claimed = ScheduledJob.objects.filter(due, pk=row.pk).update(
        next_run_at=now + job.interval, last_started_at=now
    )
    return claimed == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Run every job whose time has come; returns the names of those this process ran."""
    from picketline.jobs.models import ScheduledJob

    ran = []
    for job in load_jobs().values():
        moment = now or timezone.now()
        if not claim(job, moment):
            continue
        error = ""
        try:
            job.func()
        except Exception as exc:
            logger.exception("job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"[:300]
        ScheduledJob.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        ran.append(job.name)
    return ran
