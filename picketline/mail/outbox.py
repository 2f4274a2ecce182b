"""Sending what the outbox holds. Run by ``picketline worker``; safe with many workers.

Every state change of a claimed message is a conditional update on its claim token: a worker
that lost its claim (its lease ran out and another worker took the message) cannot overwrite
what the other one recorded. A message is marked sent right after the SMTP server took it, one
row at a time, and the mark is committed before the next message's data goes out, so a worker
killed with ``kill -9`` can send at most the message in flight twice; the rest of its claimed
batch goes out once its lease runs out.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from picketline.mail.models import BACKOFF, MAX_ATTEMPTS, AddressHealth, OutgoingMessage, lease

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
        if db_connection.vendor == "postgresql":
            # The oldest due messages, read in order from the partial index "mail_outgoing_due"
            # and nothing more. An outbox fills and drains within minutes, so the planner's
            # row counts are often stale: believing few messages wait, it would rather fetch
            # and sort every waiting message on each claim.
            with db_connection.cursor() as cursor:
                cursor.execute(  # SET LOCAL, as one statement whatever the binding
                    "SELECT set_config('enable_sort', 'off', true), "
                    "set_config('enable_bitmapscan', 'off', true)"
                )
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidate_ids = list(due.values_list("id", flat=True)[:limit])
        if not candidate_ids:
            return []
        OutgoingMessage.objects.filter(
            id__in=candidate_ids, status__in=[Status.QUEUED, Status.RETRY]
        ).update(status=Status.SENDING, claim_token=token, claimed_at=now)
    # Sending reads none of the timestamps: each costs a time-zone conversion per row.
    return list(
        OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING)
        .order_by("send_after", "id")
        .defer("created_at", "send_after", "claimed_at", "sent_at")
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


# A refused sender is about the message only when the message is too big (its size is
# declared with the sender, RFC 1870); every other refusal of the sender is about our address.
MESSAGE_TOO_BIG = 552


def _sender_refused(exc: Exception) -> bool:
    """The server refuses the envelope sender. Every message leaves from the organisation's
    address, so this is the site's trouble (a sending quota reached, an account suspended, a
    relay that no longer takes the address), not the message's: the rest would meet it too."""
    return isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code != MESSAGE_TOO_BIG


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    # A header Django refuses (a line break in a name or subject) will never go.
    return isinstance(exc, PermanentFailure | BadHeaderError)


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


def hold_back(message: OutgoingMessage, exc: Exception) -> None:
    """The server refused our sender: the message waits a minute without an attempt counted,
    however long the refusal lasts (``/readyz`` and ``picketline status`` then say the outbox
    is late); the caller gives the rest of the batch back."""
    error = _describe(exc)
    _finish(message, status=Status.RETRY, last_error=error, send_after=timezone.now() + BACKOFF[0])
    logger.warning(
        "outbox: the server refuses our sender (%s); message %s waits", error, message.pk
    )


@dataclass
class Outgoing:
    """A claimed message made ready to send, or the reason it cannot go."""

    message: OutgoingMessage
    to: list[str] = field(default_factory=list)  # the addressees that are not bouncing
    email: EmailMessage | None = None
    failure: str = ""  # nothing to send: why (the message fails for good)
    error: Exception | None = None  # it would not build: a failure like a refusal
    unreadable: bool = False  # the failure is that it cannot be read (an operator's alarm)


def prepare(message: OutgoingMessage, bouncing: set[str] | None = None) -> Outgoing:
    """Everything about one message that needs neither the SMTP server nor a write: which
    addressees to try, and the e-mail to send. ``bouncing``: the batch's bouncing addresses,
    when the caller looked them up already."""
    unreadable = message.why_unreadable()
    if unreadable:
        # Set aside, not retried: it will not open until its key is back, and then an
        # organiser queues it again (``send_again_if_readable``).
        return Outgoing(message, failure=unreadable, unreadable=True)
    recipients = message.recipients()
    if bouncing is None:
        bouncing = AddressHealth.objects.bouncing(recipients)
    else:
        bouncing = bouncing & set(recipients)
    if bouncing and not set(recipients) - bouncing:
        return Outgoing(message, failure="every recipient is bouncing")
    to = [address for address in recipients if address not in bouncing]
    try:
        if not message.compose():
            return Outgoing(message, failure="nothing to send: its subject is gone")
        email = message.to_email_message()
        email.to = to
        if not email.recipients():
            raise PermanentFailure("no recipient")
        return Outgoing(message, to, email)
    except Exception as exc:  # an unknown composer too: a newer worker may know it, so retry
        return Outgoing(message, to, error=exc)


def mark_sent(message: OutgoingMessage) -> bool:
    """Record that the server took the message, while the claim is ours. The worker runs in
    autocommit, so the mark is committed before the next message goes to the server.

    The one statement the worker runs per message, so it is written out once (the same SQL on
    every database) rather than built by the ORM each time: building it cost the worker about
    0.2 ms of CPU a message, more than sending it. It sets what ``_finish`` would."""
    claim_token = OutgoingMessage._meta.get_field("claim_token")
    sent_at = OutgoingMessage._meta.get_field("sent_at")
    with db_connection.cursor() as cursor:
        cursor.execute(
            _mark_sent_sql(db_connection.vendor),
            [
                Status.SENT,
                sent_at.get_db_prep_value(timezone.now(), db_connection),
                message.attempts + 1,
                message.pk,
                claim_token.get_db_prep_value(message.claim_token, db_connection),
                Status.SENDING,
            ],
        )
        return cursor.rowcount == 1


@lru_cache(maxsize=4)
def _mark_sent_sql(vendor: str) -> str:
    """The statement of ``mark_sent`` (``vendor`` keys the cache: it decides the quoting)."""
    quote = db_connection.ops.quote_name
    table = quote(OutgoingMessage._meta.db_table)
    status, claim_token, sent_at, attempts, last_error, pk = (
        quote(OutgoingMessage._meta.get_field(name).column)
        for name in ("status", "claim_token", "sent_at", "attempts", "last_error", "id")
    )
    return (
        f"UPDATE {table} SET {status} = %s, {claim_token} = NULL, {sent_at} = %s, "
        f"{attempts} = %s, {last_error} = '' "
        f"WHERE {pk} = %s AND {claim_token} = %s AND {status} = %s"
    )


def _connection_broke(exc: Exception) -> bool:
    # smtplib's errors are OSErrors too; of them only a disconnection ends the connection.
    if isinstance(exc, smtplib.SMTPException):
        return isinstance(exc, smtplib.SMTPServerDisconnected)
    return isinstance(exc, OSError)


class ConnectionLost(Exception):
    """The SMTP connection broke: the rest of the batch waits for the next round."""


def deliver(
    message: OutgoingMessage, connection, bouncing: set[str] | None = None
) -> list[str] | None:
    """Send one claimed message over ``connection`` (an open Django e-mail backend) and
    record the outcome. Returns the addressees it went to (bouncing ones left out), or None
    when it was not sent. ``bouncing`` as for ``prepare``. Raises ConnectionLost when the
    connection itself failed (the message is recorded as a temporary failure first)."""
    outgoing = prepare(message, bouncing)
    if outgoing.failure:
        finished = _finish(message, status=Status.FAILED, last_error=outgoing.failure)
        if finished and outgoing.unreadable:  # logged once: it is not claimed again
            logger.error(
                "outbox: message %s cannot be read and is set aside, %s",
                message.pk,
                outgoing.failure,
            )
        return None
    try:
        if outgoing.error is not None:
            raise outgoing.error
        connection.send_messages([outgoing.email])
    except Exception as exc:
        # Raised without the cause: smtplib's errors hold addresses, and the sender's
        # display name is a letter's writer; the worker logs what rises from here.
        if _sender_refused(exc):
            hold_back(message, exc)
            raise ConnectionLost(_describe(exc)) from None
        record_failure(message, exc)
        if _connection_broke(exc):
            raise ConnectionLost(_describe(exc)) from None
        return None
    mark_sent(message)
    return outgoing.to


def send_due(limit: int = 200) -> int:
    """Send what is due, in claimed batches, over one connection. Returns messages sent."""
    release_stale_claims()
    batch = claim_batch(limit)
    if not batch:
        return 0
    token = batch[0].claim_token
    renew_every = lease().total_seconds() / 3
    renewed = time.monotonic()
    connection = get_connection(fail_silently=False)
    delivered: list[str] = []
    bouncing = AddressHealth.objects.bouncing(
        sorted({address for message in batch for address in message.recipients()})
    )
    sent = 0
    try:
        unreadable = OutgoingMessage.look_up_to_compose(batch)
        connection.open()
        for message in batch:
            if time.monotonic() - renewed > renew_every:
                if not renew_claim(token):
                    break  # the lease ran out and another worker took the rest
                renewed = time.monotonic()
            if message.pk in unreadable:  # it waits for a retry, as one that will not compose
                record_failure(message, unreadable[message.pk])
                continue
            to = deliver(message, connection, bouncing)
            if to is not None:
                sent += 1
                delivered.extend(to)
    except Exception:
        # The connection failed: give the rest back to the queue untouched.
        OutgoingMessage.objects.filter(claim_token=token, status=Status.SENDING).update(
            status=Status.RETRY, claim_token=None
        )
        raise
    finally:
        try:
            connection.close()
        finally:
            AddressHealth.record_deliveries(delivered)
    return sent


def hold_group(group: str) -> int:
    """Stop sending a group: its waiting messages are held (those a worker has claimed
    already, at most one batch, still go)."""
    return OutgoingMessage.objects.filter(
        group=group, status__in=[Status.QUEUED, Status.RETRY]
    ).update(status=Status.HELD)


def release_group(group: str) -> int:
    return OutgoingMessage.objects.filter(group=group, status=Status.HELD).update(
        status=Status.QUEUED
    )
