"""Sending what the outbox holds. Run by ``picketline worker``; safe with many workers.

Every state change of a claimed message is a conditional update on its claim token: a worker
that lost its claim (its lease ran out and another worker took the message) cannot overwrite
what the other one recorded. A message is marked sent right after the SMTP server took it, one
row at a time, and the mark is committed before the next message's data goes out, so a worker
killed with ``kill -9`` can send at most the message in flight twice; the rest of its claimed
batch goes out once its lease runs out.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db import connection as db_connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from picketline.mail import wire
from picketline.mail.models import MAX_ATTEMPTS, AddressHealth, OutgoingMessage, lease
from picketline.web.rows import prepared_cursor

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
            # and sort every waiting message on each claim (80 ms for 100,000 of them).
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


@dataclass
class Outgoing:
    """A claimed message made ready to send, or the reason it cannot go."""

    message: OutgoingMessage
    to: list[str] = field(default_factory=list)  # the addressees that are not bouncing
    sender: str = ""  # the From address
    recipients: list[str] = field(default_factory=list)  # To (those in ``to``) and Cc
    data: bytes = b""
    failure: str = ""  # nothing to send: why (the message fails for good)
    error: Exception | None = None  # it would not build: a failure like a refusal

    @property
    def ready(self) -> bool:
        return not self.failure and self.error is None


def prepare(message: OutgoingMessage, bouncing: set[str] | None = None) -> Outgoing:
    """Everything about one message that needs neither the SMTP server nor a write: which
    addressees to try, and its bytes. ``bouncing``: the batch's bouncing addresses, when the
    caller looked them up already."""
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
        sender, recipients, data = wire.render(message, to)
        if not recipients:
            raise PermanentFailure("no recipient")
        return Outgoing(message, to, sender, recipients, data)
    except Exception as exc:
        return Outgoing(message, to, error=exc)


def _smtp_of(connection) -> smtplib.SMTP | None:
    """The open smtplib connection behind Django's SMTP backend, to hand it finished bytes."""
    if isinstance(connection, SMTPBackend):
        return connection.connection
    return None


@functools.cache
def _sent_mark_sql(vendor: str) -> str:
    meta = OutgoingMessage._meta
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    status, token, sent_at, attempts, last_error, pk = (
        quote(meta.get_field(name).column)
        for name in ("status", "claim_token", "sent_at", "attempts", "last_error", "id")
    )
    return (
        f"UPDATE {quote(meta.db_table)} SET {status} = %s, {token} = NULL, {sent_at} = %s, "
        f"{attempts} = %s, {last_error} = '' WHERE {pk} = %s AND {token} = %s AND {status} = %s"
    )


def mark_sent(message: OutgoingMessage, cursor: CursorWrapper | None = None) -> bool:
    """Record that the server took the message (committed at once: the worker runs in
    autocommit), while the claim is ours. ``_finish(status=SENT, ...)`` as one fixed prepared
    statement: every message but a few ends here, and the ORM takes longer to build this UPDATE
    than PostgreSQL takes to run it. ``cursor``: one from ``rows.prepared_cursor`` to reuse."""
    if cursor is None:
        with prepared_cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
            return mark_sent(message, cursor)
    connection = cursor.db  # not django.db.connection: a proxy, one lookup per attribute
    meta = OutgoingMessage._meta
    params = [
        Status.SENT.value,
        meta.get_field("sent_at").get_db_prep_value(timezone.now(), connection),
        message.attempts + 1,
        message.pk,
        meta.get_field("claim_token").get_db_prep_value(message.claim_token, connection),
        Status.SENDING.value,
    ]
    cursor.execute(_sent_mark_sql(connection.vendor), params)
    return cursor.rowcount == 1


def deliver(message: OutgoingMessage, connection, bouncing: set[str] | None = None) -> bool:
    """Send one claimed message over ``connection`` (a Django e-mail backend) and record the
    outcome. Returns True when it was sent. ``bouncing`` as for ``prepare``."""
    outgoing = prepare(message, bouncing)
    if outgoing.failure:
        _finish(message, status=Status.FAILED, last_error=outgoing.failure)
        return False
    try:
        if outgoing.error is not None:
            raise outgoing.error
        smtp = _smtp_of(connection)
        if smtp is not None:
            wire.send(smtp, outgoing.sender, outgoing.recipients, outgoing.data)
        else:
            email = message.to_email_message()
            email.to = outgoing.to
            connection.send_messages([email])
    except Exception as exc:
        record_failure(message, exc)
        return False
    mark_sent(message)
    return True


def deliver_batch(
    batch: list[OutgoingMessage],
    smtp: smtplib.SMTP,
    bouncing: set[str],
    keep_claim: Callable[[], None],
) -> list[Outgoing]:
    """Send a claimed batch over one open SMTP connection; returns what the server took.

    The same exchange as ``deliver`` one message after the other, with our own work done while
    the server answers instead of before or after: a message's "sent" mark is written and
    committed while the server answers the next one's MAIL FROM (the server has none of that
    message yet: its data goes only after the mark is committed, so a worker killed at any
    moment has at most one message taken and not marked), and the next message is built while
    the server answers the data of this one. ``keep_claim`` is called before each message."""
    taken: list[Outgoing] = []
    unmarked: OutgoingMessage | None = None  # taken by the server, not yet marked
    cursor = prepared_cursor(connections[DEFAULT_DB_ALIAS])

    def mark_unmarked() -> None:
        nonlocal unmarked
        if unmarked is not None:
            mark_sent(unmarked, cursor)
            unmarked = None

    upcoming = iter(batch)
    following: list[Outgoing] = []

    def prepare_following() -> None:
        if (message := next(upcoming, None)) is not None:
            following.append(prepare(message, bouncing))

    try:
        prepare_following()
        while following:
            outgoing = following.pop()
            keep_claim()
            if not outgoing.ready:
                mark_unmarked()
                if outgoing.failure:
                    _finish(outgoing.message, status=Status.FAILED, last_error=outgoing.failure)
                else:
                    record_failure(outgoing.message, outgoing.error)
                prepare_following()
                continue
            message = outgoing.message
            try:
                wire.send(
                    smtp,
                    outgoing.sender,
                    outgoing.recipients,
                    outgoing.data,
                    while_mail_is_answered=mark_unmarked,
                    while_data_is_answered=prepare_following,
                )
            except Exception as exc:
                # Refused, or the connection failed; or the previous mark did (then this
                # message's data did not go): the previous message first, then this one.
                mark_unmarked()
                record_failure(message, exc)
            else:
                unmarked = message
                taken.append(outgoing)
            if not following:
                prepare_following()
    finally:
        try:
            mark_unmarked()
        finally:
            cursor.close()
    return taken


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
    token = batch[0].claim_token
    renew_every = lease().total_seconds() / 3
    renewed = time.monotonic()

    def keep_claim() -> None:
        nonlocal renewed
        if time.monotonic() - renewed > renew_every:
            renew_claim(token)
            renewed = time.monotonic()

    connection = get_connection(fail_silently=False)
    delivered: list[str] = []
    bouncing = AddressHealth.objects.bouncing(
        sorted({address for message in batch for address in message.recipients()})
    )
    try:
        OutgoingMessage.look_up_to_compose(batch)
        connection.open()
        smtp = _smtp_of(connection)
        if smtp is not None:
            taken = deliver_batch(batch, smtp, bouncing, keep_claim)
            delivered = [address for outgoing in taken for address in outgoing.to]
            sent = len(taken)
        else:  # another backend (the demo's mailbox, the console, tests): one at a time
            sent = 0
            for message in batch:
                keep_claim()
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
