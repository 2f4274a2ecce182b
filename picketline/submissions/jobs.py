"""Periodic jobs for submissions; each is idempotent and safe to kill half-way."""

from __future__ import annotations

from datetime import timedelta

from picketline.jobs.schedule import every
from picketline.submissions import housekeeping


@every(timedelta(hours=1))
def delete_old_originals() -> None:
    """Uploaded originals go once their published copy has been kept long enough."""
    housekeeping.delete_old_originals()


@every(timedelta(minutes=1))
def take_down_withdrawn_videos() -> None:
    """Withdrawing a face-and-voice consent takes its video down at once; this catches any
    video whose consent went another way (an organiser's edit, data from an older release)."""
    housekeeping.take_down_withdrawn_consents()


@every(timedelta(hours=1))
def delete_unconfirmed() -> None:
    """Submissions never confirmed go with their files (files no row names go with
    ``jobs.jobs.delete_orphan_files``)."""
    housekeeping.delete_unconfirmed()


@every(timedelta(minutes=10))
def queue_stalled_videos() -> None:
    """An approved video whose published copy a killed worker left unmade is queued again."""
    housekeeping.queue_stalled_videos()
