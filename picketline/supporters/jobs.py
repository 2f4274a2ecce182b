"""Periodic retention work (run by ``picketline worker``); both jobs are idempotent."""

from __future__ import annotations

from datetime import timedelta

from picketline.jobs.schedule import every
from picketline.supporters import retention


@every(timedelta(hours=1))
def purge_unconfirmed() -> None:
    retention.purge_unconfirmed()


@every(timedelta(days=1))
def erase_after_campaign() -> None:
    retention.erase_after_campaign()
