"""The mailings' periodic work (run by ``picketline worker``); idempotent and safe to kill."""

from __future__ import annotations

from datetime import timedelta

from picketline.jobs.schedule import every
from picketline.mailings import sending


@every(timedelta(seconds=5))
def send_mailings() -> None:
    """Start what is due, write the next outbox rows of each sending mailing, and record the
    counts of those whose every message has gone."""
    sending.expand_sending()
    sending.finish()
