"""Is this installation working? What ``/readyz`` and ``picketline status`` report.

Each check answers with a short word and, where it helps, an age in seconds; nothing in it
names a supporter, an address or a message, so a load balancer or a monitor may read it.

A check that fails keeps the exception it met; the checks log nothing themselves, because a
load balancer asks every few seconds. ``Readiness`` logs a change once instead.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from picketline.jobs.models import WorkerHeartbeat, stale_after
from picketline.mail.models import OutgoingMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    state: str  # one word: ok, down, late, stale, none, found
    age: int | None = None  # seconds, for the outbox and the worker
    count: int | None = None  # how many, for the mail set aside as unreadable
    # What the database or the cache raised, for the log (never in the line a probe shows).
    error: BaseException | None = field(default=None, compare=False, repr=False)

    def line(self) -> str:
        age = "" if self.age is None else f" {self.age}s"
        count = "" if self.count is None else f" {self.count}"
        return f"{self.name} {self.state}{age}{count}"


def seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure of the database or its driver means "not ready"
        return Check("database", False, "down", error=error)
    return Check("database", True, "ok")


def cache() -> Check:
    """Write and read back a random value in every configured cache."""
    try:
        for alias in settings.CACHES:
            probe = secrets.token_hex(8)
            caches[alias].set("health-probe", probe, timeout=30)
            if caches[alias].get("health-probe") != probe:
                return Check("cache", False, "down")
    except Exception as error:  # Redis gone, refused, timed out
        return Check("cache", False, "down", error=error)
    return Check("cache", True, "ok")


def outbox(now: datetime) -> Check:
    age = seconds_since(OutgoingMessage.objects.waiting_since(now), now)
    if age is None:
        return Check("outbox", True, "ok", 0)
    late = age > settings.OUTBOX_LATE_SECONDS
    return Check("outbox", not late, "late" if late else "ok", age)


def unreadable_mail() -> Check:
    """How many messages the worker set aside because they cannot be read (their key was taken
    out of PICKETLINE_ENCRYPTION_KEYS too early, or they are damaged): they wait for the key and
    an organiser, so any is wrong, though the rest of the outbox flows."""
    count = OutgoingMessage.objects.set_aside_unreadable().count()
    return Check("unreadable-mail", count == 0, "ok" if count == 0 else "found", count=count)


def worker(now: datetime) -> Check:
    age = seconds_since(WorkerHeartbeat.objects.latest_beat(), now)
    if age is None:
        return Check("worker", False, "none")
    alive = age <= stale_after().total_seconds()
    return Check("worker", alive, "ok" if alive else "stale", age)


def report(now: datetime | None = None) -> list[Check]:
    """Every check; the outbox and the worker only when the database answers."""
    now = now or timezone.now()
    checks = [database(), cache()]
    if checks[0].ok:
        try:
            checks += [outbox(now), unreadable_mail(), worker(now)]
        except Exception as error:  # the database went away between two queries
            checks[0] = Check("database", False, "down", error=error)
    return checks


# What a web process needs to answer requests.
SERVING_NEEDS = ("database", "cache")


def serving(checks: list[Check]) -> bool:
    """Whether a web process can answer requests: its database and cache work. A late outbox or
    a silent worker does not stop the site; they are an operator's alarm, not a reason for a
    load balancer to take every web server out of rotation."""
    return all(check.ok for check in checks if check.name in SERVING_NEEDS)


def warn_not_serving(checks: list[Check]) -> None:
    """One warning naming the checks that keep a web process from serving, with the exception
    the first of them met (what the database's driver or Redis said: a host, a port, a refusal;
    the checks' queries hold nothing of a supporter)."""
    down = [check for check in checks if check.name in SERVING_NEEDS and not check.ok]
    error = next((check.error for check in down if check.error is not None), None)
    logger.warning(
        "readiness: not serving (%s)", ", ".join(check.line() for check in down), exc_info=error
    )


class Readiness:
    """What this process's last ``/readyz`` found, so that a change is logged once: the first
    probe that finds the process not serving warns, naming what failed; the first that finds
    it serving again says so; the probes between log nothing.

    The state is one boolean per process, in memory: each web process tells the outage as it
    sees it, a new process starts as serving (one that comes up ready says nothing), and two
    threads probing at the same moment may both tell the same change."""

    def __init__(self) -> None:
        self.serving = True

    def probed(self, checks: list[Check]) -> bool:
        """Whether ``checks`` let the process serve; logs when that changed."""
        now_serving = serving(checks)
        if now_serving != self.serving:
            if now_serving:
                logger.warning("readiness: serving again")
            else:
                warn_not_serving(checks)
        self.serving = now_serving
        return now_serving


readiness = Readiness()
