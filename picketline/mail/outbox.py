"""Sending what the outbox holds. Run by ``picketline worker``; safe with many workers.

Every state change of a claimed message is a conditional update on its claim token: a worker
that lost its claim (its lease ran out and another worker took the message) cannot overwrite
what the other one recorded. A message is marked sent right after the SMTP server took it, one
row at a time, so a worker killed with ``kill -9`` can send at most the message in flight twice;
the rest of its claimed batch goes out once its lease runs out.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from datetime import datetime

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from picketline.mail.models import MAX_ATTEMPTS, AddressHealth, OutgoingMessage, lease

logger = logging.getLogger(__name__)
Status = OutgoingMessage.Status


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def claim_batch(limit: int = 50, now: datetime | None = None) -> list[OutgoingMessage]:
    """Claim up to ``limit`` due messages for this worker.

    On PostgreSQL the candidates are locked with ``SKIP LOCKED``, so concurrent workers take
    disjoint batches without waiting. Everywhere the claim itself is a conditional UPDATE: a
    row another worker claimed in the meantime no longer matches ``status IN (queued, retry)``.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    due = OutgoingMessage.objects.due(now).order_by("send_after", "id")
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidate_ids = list(due.values_list("id", flat=True)[:limit])
        if not candidate_ids:
            return []
        OutgoingMessage.objects.filter(
            id__in=candidate_ids, status__in=[Status.QUEUED, Status.RETRY]
        ).update(status=Status.SENDING, claim_token=token, claimed_at=now)
    return list(
        OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING).order_by(
            "send_after", "id"
        )
    )


def release_stale_claims(now: datetime | None = None) -> int:
    """Give back messages whose worker died mid-send; they go again (at most once more)."""
    return OutgoingMessage.objects.stale_claims(now).update(
        status=Status.RETRY, claim_token=None, send_after=now or timezone.now()
    )


def renew_claim(token: uuid.UUID) -> int:
    """Extend this worker's claim on the messages of its batch it has not sent yet."""
    return OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING).update(
        claimed_at=timezone.now()
    )


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return isinstance(exc, PermanentFailure)


def _refused_addresses(exc: Exception) -> list[str]:
    """Addresses the server refused for good: these count towards marking them bouncing."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [address for address, (code, _) in exc.recipients.items() if code >= 500]
    return []


def _describe(exc: Exception) -> str:
    # Only the class and SMTP code: server replies can echo the recipient's address.
    code = getattr(exc, "smtp_code", "")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = ",".join(sorted({str(c) for c, _ in exc.recipients.values()}))
    return f"{type(exc).__name__} {code}".strip()[:300]


def _finish(message: OutgoingMessage, **changes) -> bool:
    """Record the outcome, but only while the claim is still ours."""
    return bool(
        OutgoingMessage.objects.filter(
            pk=message.pk, claim_token=message.claim_token, status=Status.SENDING
        ).update(claim_token=None, **changes)
    )


def record_failure(message: OutgoingMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    error = _describe(exc)
    for address in _refused_addresses(exc):
        AddressHealth.record_hard_failure(address)
    if _is_permanent(exc) or attempts >= MAX_ATTEMPTS:
        _finish(message, status=Status.FAILED, attempts=attempts, last_error=error)
        status = Status.FAILED
    else:
        message.attempts = attempts
        _finish(
            message,
            status=Status.RETRY,
            attempts=attempts,
            last_error=error,
            send_after=timezone.now() + message.next_retry_delay(),
        )
        status = Status.RETRY
    logger.warning("outbox: message %s %s (%s)", message.pk, status, error)


def deliver(message: OutgoingMessage, connection, bouncing: set[str] | None = None) -> bool:
    """Send one claimed message and record the outcome. Returns True when it was sent.
    ``bouncing``: the batch's bouncing addresses, when the caller looked them up already."""
    recipients = message.recipients()
    if bouncing is None:
        bouncing = AddressHealth.objects.bouncing(recipients)
    else:
        bouncing = bouncing & set(recipients)
    if bouncing and not set(recipients) - bouncing:
        _finish(message, status=Status.FAILED, last_error="every recipient is bouncing")
        return False
    if not message.compose():
        _finish(message, status=Status.FAILED, last_error="nothing to send: its subject is gone")
        return False
    email = message.to_email_message()
    if bouncing:
        email.to = [address for address in email.to if address not in bouncing]
    try:
        connection.send_messages([email])
    except Exception as exc:
        record_failure(message, exc)
        return False
    _finish(
        message,
        status=Status.SENT,
        sent_at=timezone.now(),
        attempts=message.attempts + 1,
        last_error="",
    )
    return True


def send_due(limit: int = 200) -> int:
    """Send what is due, in claimed batches, over one SMTP connection. Returns messages sent."""
    if db_connection.vendor == "postgresql":
        # The worker's commits need not wait for the disk: a killed worker loses nothing (the
        # commit is in the server's WAL buffer already); only a crash of PostgreSQL itself in
        # the same fraction of a second could forget a "sent" mark, and then that message
        # would go twice. Waiting for the disk after every message would cost far more.
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    release_stale_claims()
    batch = claim_batch(limit)
    if not batch:
        return 0
    sent = 0
    token = batch[0].claim_token
    renew_every = lease().total_seconds() / 3
    renewed = time.monotonic()
    connection = get_connection(fail_silently=False)
    delivered: list[str] = []
    bouncing = AddressHealth.objects.bouncing(
        sorted({address for message in batch for address in message.recipients()})
    )
    try:
        connection.open()
        for message in batch:
            if time.monotonic() - renewed > renew_every:
                renew_claim(token)
                renewed = time.monotonic()
            if deliver(message, connection, bouncing):
                sent += 1
                delivered.extend(message.recipients())
    except Exception:
        # The connection itself failed: give the rest back to the queue untouched.
        OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING).update(
            status=Status.RETRY, claim_token=None
        )
        raise
    finally:
        connection.close()
        AddressHealth.record_deliveries(delivered)
    return sent


def hold_group(group: str) -> int:
    """Stop sending a group at once: its waiting messages are held (the one a worker is
    sending at this instant still goes)."""
    return OutgoingMessage.objects.filter(
        group=group, status__in=[Status.QUEUED, Status.RETRY]
    ).update(status=Status.HELD)


def release_group(group: str) -> int:
    return OutgoingMessage.objects.filter(group=group, status=Status.HELD).update(
        status=Status.QUEUED
    )
