"""Periodic jobs of the dashboard; each is idempotent and safe to kill half-way."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from picketline.dashboard import counting, digest
from picketline.jobs.schedule import every


@every(timedelta(minutes=settings.MODERATION_DIGEST_MINUTES))
def moderation_digest() -> None:
    """Tell the moderators what waits, when something does and the queue changed."""
    digest.send()


@every(timedelta(seconds=5))
def add_up_counts() -> None:
    """Add the counts requests appended to the daily counts (``counting.fold``)."""
    counting.fold()
