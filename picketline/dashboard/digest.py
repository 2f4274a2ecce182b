"""The moderators' digest: how many items of each kind wait, and the link to the queue.

Nothing personal goes in it (no name, no text, no summary): only counts per kind. It is sent
when something waits and the queue changed since the last digest (``ModerationDigest``), at
most every ``PICKETLINE_MODERATION_DIGEST_MINUTES``, through the outbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from picketline.accounts.preferences import read_by
from picketline.accounts.roles import staff_who_may
from picketline.dashboard.models import ModerationDigest
from picketline.dashboard.moderation import KINDS, QueueKind
from picketline.mail.models import OutgoingMessage


def moderators() -> list[Any]:
    """Active staff with an address who may decide on at least one kind (directly, through a
    group, or as superusers)."""
    return staff_who_may(*sorted({kind.permission for kind in KINDS}))


def state() -> dict[str, tuple[int, int]]:
    """Per kind: how many wait, and the newest one's key."""
    return {kind.key: (kind.count(), kind.newest()) for kind in KINDS}


def _fingerprint(waiting: dict[str, tuple[int, int]]) -> str:
    return ";".join(f"{key}:{count}:{newest}" for key, (count, newest) in waiting.items())


def send() -> int:
    """Queue one digest per moderator who may decide on something that waits; none when
    nothing waits or nothing changed since the last digest. Returns how many were queued."""
    waiting = state()
    if not any(count for count, _newest in waiting.values()):
        # An empty queue is a change: what waits next is told, even an item sent back to it.
        ModerationDigest.objects.exclude(waiting="").update(waiting="")
        return 0
    fingerprint = _fingerprint(waiting)
    with transaction.atomic():
        last = ModerationDigest.objects.select_for_update().order_by("-sent_at").first()
        if last is not None and last.waiting == fingerprint:
            return 0
        queued = 0
        for user in moderators():
            counts = [
                (kind, waiting[kind.key][0])
                for kind in KINDS
                if waiting[kind.key][0] and user.has_perm(kind.permission)
            ]
            if counts:
                _queue(user, counts)
                queued += 1
        if last is None:
            ModerationDigest.objects.create(waiting=fingerprint)
        else:
            last.waiting = fingerprint
            last.sent_at = timezone.now()
            last.save()
    return queued


def _queue(user: Any, counts: list[tuple[QueueKind, int]]) -> None:
    with read_by(user) as language:
        context = {
            "counts": [{"label": kind.label, "count": n} for kind, n in counts],
            "total": sum(n for _kind, n in counts),
            "queue_url": settings.SITE_URL + reverse("dashboard:moderation"),
            "language": language,
        }
        subject = render_to_string("dashboard/email/digest_subject.txt", context)
        text = render_to_string("dashboard/email/digest_body.txt", context)
        html = render_to_string("dashboard/email/digest_body.html", context)
    OutgoingMessage.queue(
        to=[user.email],
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        kind="moderation_digest",
        language=language,
    )
