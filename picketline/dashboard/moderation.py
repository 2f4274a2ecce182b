"""One queue for everything supporters send that waits for a moderator: videos, endorsements
and reports (``submissions``), actions supporters host and their reports (``events``).

Each kind keeps its own decision: the queue's forms post to each app's own moderation view
(``Submission.decide`` through the submissions admin, ``HostedAction.approve``/``decline`` and
the report's moderation through the events' review), which send the moderator back here. Who
sees a kind is who may decide on it: ``submissions.moderate`` for the submissions,
``events.review_hostedaction`` / ``events.review_hostedreport`` for the hosted ones (the
moderator role holds all three).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Model, QuerySet

from picketline.accounts.login import staff_is_verified
from picketline.events.models import HostedAction, HostedReport
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage

# Each item carries its own decision form, which takes time to draw: a page holds a few dozen.
SHOWN_AT_ONCE = 30


@dataclass(frozen=True)
class QueueKind:
    key: str
    model: type[Model]
    permission: str
    # When an item started to wait (the queue is oldest first).
    since: str
    waiting: Callable[[], QuerySet]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def count(self) -> int:
        return self.waiting().count()

    def newest(self) -> int:
        """The key of the newest item waiting (0 when none): with the count, what tells
        whether the queue changed."""
        return self.waiting().aggregate(newest=Max("pk"))["newest"] or 0


KINDS = [
    QueueKind(
        "videomessage", VideoMessage, "submissions.moderate", "confirmed_at",
        lambda: VideoMessage.objects.waiting(),
    ),
    QueueKind(
        "endorsement", Endorsement, "submissions.moderate", "confirmed_at",
        lambda: Endorsement.objects.waiting(),
    ),
    QueueKind(
        "actionreport", ActionReport, "submissions.moderate", "confirmed_at",
        lambda: ActionReport.objects.waiting(),
    ),
    QueueKind(
        "hostedaction", HostedAction, "events.review_hostedaction", "confirmed_at",
        lambda: HostedAction.objects.filter(
            status=HostedAction.Status.PROPOSED, confirmed_at__isnull=False
        ),
    ),
    QueueKind(
        "hostedreport", HostedReport, "events.review_hostedreport", "submitted_at",
        lambda: HostedReport.objects.filter(status=HostedReport.Status.SUBMITTED),
    ),
]  # fmt: skip


def kinds_for(user: Any) -> list[QueueKind]:
    """The kinds ``user`` may decide on (none for a session not verified)."""
    if not staff_is_verified(user):
        return []
    return [kind for kind in KINDS if user.has_perm(kind.permission)]


def may_moderate_anything(user: Any) -> bool:
    return bool(kinds_for(user))


MODERATE_ANYTHING = may_moderate_anything


@dataclass(frozen=True)
class Waiting:
    kind: QueueKind
    item: Any
    since: datetime


def oldest_waiting(kinds: list[QueueKind], limit: int = SHOWN_AT_ONCE) -> list[Waiting]:
    """The ``limit`` items that have waited longest, of every kind given, oldest first."""
    found = []
    for kind in kinds:
        queryset = kind.waiting().order_by(kind.since, "pk")
        if kind.model is HostedReport:
            queryset = queryset.select_related("hosted_action").prefetch_related("photos")
        elif kind.model is ActionReport:
            queryset = queryset.prefetch_related("photos")
        found.extend(Waiting(kind, item, getattr(item, kind.since)) for item in queryset[:limit])
    found.sort(key=lambda waiting: waiting.since)
    return found[:limit]
