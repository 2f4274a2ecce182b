"""Housekeeping the worker does for the layers below the domain apps: the outbox, the
sessions, the rate-limit counters and the uploaded files no row refers to. Each job is idempotent and safe to kill half-way."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from picketline.jobs.models import WorkerHeartbeat
from picketline.jobs.schedule import every
from picketline.mail.models import purge_old_mail
from picketline.web import limits, orphans


@every(timedelta(hours=1))
def purge_sent_mail() -> None:
    """Sent and failed messages go once older than PICKETLINE_SENT_MAIL_KEEP_DAYS (30)."""
    purge_old_mail()


@every(timedelta(hours=1))
def clear_expired_sessions() -> None:
    """Expired sessions (a privacy page opened, an organiser's log-in) leave the database."""
    call_command("clearsessions")


@every(timedelta(hours=1))
def purge_expired_counters() -> None:
    """Rate-limit counters whose window is over leave the database."""
    limits.purge_expired()


@every(timedelta(hours=1))
def forget_stopped_workers() -> None:
    """Heartbeats of workers silent for a week leave (a restarted worker has a new id)."""
    WorkerHeartbeat.objects.silent_since(timezone.now() - timedelta(days=7)).delete()


@every(timedelta(hours=1))
def delete_orphan_files() -> None:
    """Files under the folders the apps registered (``web.orphans``) that no row names go,
    once older than an hour: a failed deletion or a broken request leaves nothing for good."""
    orphans.delete_unreferenced()
