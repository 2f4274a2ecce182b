"""Sending what the outbox holds. Run by ``picketline worker``; safe with many workers."""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from picketline.mail.models import MAX_ATTEMPTS, OutgoingMessage

logger = logging.getLogger(__name__)
Status = OutgoingMessage.Status


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def claim_batch(limit: int = 50, now: datetime | None = None) -> list[OutgoingMessage]:
    """Claim up to ``limit`` due messages for this worker.

    The claim is a conditional UPDATE: a row another worker claimed between our SELECT and our
    UPDATE no longer matches ``status IN (queued, retry)``, so it is simply not ours.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    candidate_ids = list(
        OutgoingMessage.objects.due(now)
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not candidate_ids:
        return []
    with transaction.atomic():
        OutgoingMessage.objects.filter(
            id__in=candidate_ids, status__in=[Status.QUEUED, Status.RETRY]
        ).update(status=Status.SENDING, claim_token=token, claimed_at=now)
    return list(OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING))


def release_stale_claims(now: datetime | None = None) -> int:
    """Give back messages whose worker died mid-send; they go again (at most once more)."""
    return OutgoingMessage.objects.stale_claims(now).update(
        status=Status.RETRY, claim_token=None, send_after=now or timezone.now()
    )


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return isinstance(exc, PermanentFailure)


def _describe(exc: Exception) -> str:
    # Only the class and SMTP code: server replies can echo the recipient's address.
    code = getattr(exc, "smtp_code", "")
    return f"{type(exc).__name__} {code}".strip()[:300]


def deliver(message: OutgoingMessage, connection) -> bool:
    """Send one claimed message and record the outcome. Returns True when it was sent."""
    try:
        connection.send_messages([message.to_email_message()])
    except Exception as exc:
        message.attempts += 1
        message.last_error = _describe(exc)
        message.claim_token = None
        if _is_permanent(exc) or message.attempts >= MAX_ATTEMPTS:
            message.status = Status.FAILED
        else:
            message.status = Status.RETRY
            message.send_after = timezone.now() + message.next_retry_delay()
        message.save(
            update_fields=["attempts", "last_error", "claim_token", "status", "send_after"]
        )
        logger.warning("outbox: message %s %s (%s)", message.pk, message.status, message.last_error)
        return False
    OutgoingMessage.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def send_due(limit: int = 200) -> int:
    """Send what is due, in claimed batches, over one SMTP connection. Returns messages sent."""
    release_stale_claims()
    batch = claim_batch(limit)
    if not batch:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for message in batch:
            sent += deliver(message, connection)
    except Exception:
        # The connection itself failed: give the rest back to the queue untouched.
        OutgoingMessage.objects.filter(pk__in=[m.pk for m in batch], status=Status.SENDING).update(
            status=Status.RETRY, claim_token=None
        )
        raise
    finally:
        connection.close()
    return sent


def hold_group(group: str) -> int:
    return OutgoingMessage.objects.filter(
        group=group, status__in=[Status.QUEUED, Status.RETRY]
    ).update(status=Status.HELD)


def release_group(group: str) -> int:
    return OutgoingMessage.objects.filter(group=group, status=Status.HELD).update(
        status=Status.QUEUED
    )
