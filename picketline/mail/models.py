"""The outbox: every e-mail Picketline sends is a row here first.

A web request only writes the row (inside its own transaction); a worker sends it later. The
row walks queued → sending → sent, or → retry (temporary failure, with backoff) → sending…, or
→ failed (permanent, or too many attempts, or it cannot be read: set aside, see
``OutgoingMessage.unreadable``). ``held`` rows wait until released (a paused action). A row goes no earlier than its
``send_after`` and, if it has a ``send_before``, never once that has passed: the worker leaves
it waiting (``due``), and what wrote it gives it a new time (the letters' scheduler).
Claims are conditional updates, so any number of workers can share one outbox; a worker killed
mid-send leaves its claimed rows in ``sending`` and they are retried once their lease runs out,
which is why only the message in flight at a crash can go twice.

Recipients, subjects, bodies and attachments hold personal data and are encrypted at rest.
Every address a message holds (From, Reply-To, To, Cc) is also kept as a keyed blind index, so
that erasure finds a person's messages without decrypting the outbox; messages that name a
person only in their body are found through what they are about (a letter's deliveries).
Sent and failed messages are deleted after ``PICKETLINE_SENT_MAIL_KEEP_DAYS``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import getaddresses, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from picketline.lib.crypto import normalise_email
from picketline.mail.composers import UnknownComposer, composer
from picketline.mail.wire import PLAIN_ADDRESS
from picketline.web.fields import EncryptedMixin, EncryptedTextField, Unreadable, email_index

MAX_ATTEMPTS = 8
ADDRESS_FIELDS = {"from_email", "to", "cc", "reply_to"}
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720)]
# How ``last_error`` begins for a message set aside because it cannot be read.
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


class OutgoingMessageQuerySet(models.QuerySet["OutgoingMessage"]):
    def past_their_time(self, now: datetime | None = None) -> OutgoingMessageQuerySet:
        """Waiting messages (queued or retry) whose ``send_after`` has come: those the worker
        may take (``due``) and those it may no longer take, their ``send_before`` gone by."""
        now = now or timezone.now()
        return self.filter(
            status__in=[OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.RETRY],
            send_after__lte=now,
        )

    def due(self, now: datetime | None = None) -> OutgoingMessageQuerySet:
        """What the worker may send now: waiting, its ``send_after`` come and its
        ``send_before`` (if it has one) not yet. A message past its ``send_before`` stays
        where it is, for what wrote it to give it a new time."""
        now = now or timezone.now()
        return self.past_their_time(now).filter(
            Q(send_before__isnull=True) | Q(send_before__gt=now)
        )

    def waiting_since(self, now: datetime | None = None) -> datetime | None:
        """Since when the longest-waiting message has been due (None: nothing is), one past its
        ``send_before`` included: it has not gone either, and stays late until what wrote it
        gives it a new time. Read from the partial index of waiting messages."""
        return (
            self.past_their_time(now)
            .order_by("send_after", "id")
            .values_list("send_after", flat=True)
            .first()
        )

    def set_aside_unreadable(self) -> OutgoingMessageQuerySet:
        """Messages the worker set aside because they could not be read (read from the partial
        index of failed and held messages)."""
        return self.filter(status=OutgoingMessage.Status.FAILED, last_error__startswith=UNREADABLE)

    def send_again_if_readable(self, now: datetime | None = None) -> tuple[int, int]:
        """Queue again, as new, those of these messages set aside as unreadable that can be
        read now (their key is back in PICKETLINE_ENCRYPTION_KEYS): an organiser's call.
        Returns how many went back to the queue and how many still cannot be read."""
        aside = list(self.set_aside_unreadable())
        readable = [message.pk for message in aside if not message.unreadable()]
        queued = (
            OutgoingMessage.objects.filter(pk__in=readable)
            .set_aside_unreadable()  # unless a worker or an organiser changed it meanwhile
            .update(
                status=OutgoingMessage.Status.QUEUED,
                attempts=0,
                last_error="",
                send_after=now or timezone.now(),
            )
        )
        return queued, len(aside) - len(readable)

    def stale_claims(self, now: datetime | None = None) -> OutgoingMessageQuerySet:
        now = now or timezone.now()
        return self.filter(status=OutgoingMessage.Status.SENDING, claimed_at__lt=now - lease())

    def involving(self, addresses: list[str]) -> OutgoingMessageQuerySet:
        """Messages that hold any of ``addresses`` in From, Reply-To, To or Cc, found by their
        blind index (nothing is decrypted)."""
        indexes = {email_index(address) for address in addresses if address.strip()}
        if not indexes:
            return self.none()
        return self.filter(
            pk__in=MessageAddress.objects.filter(address_index__in=indexes).values("message_id")
        )

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[OutgoingMessage]:
        """Write the messages and, in the same transaction, the blind index of each address
        they hold (``MessageAddress``)."""
        with transaction.atomic(savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            MessageAddress.write_for(created)
        return created

    def done_before(self, moment: datetime) -> OutgoingMessageQuerySet:
        """Messages whose story ended before ``moment``: sent, or failed for good."""
        return self.filter(
            Q(status=OutgoingMessage.Status.SENT, sent_at__lt=moment)
            | Q(status=OutgoingMessage.Status.FAILED, created_at__lt=moment)
        )

    def delete_with_copies(self) -> int:
        """Delete these messages and the local mailbox's copies of them (the demo keeps one
        of every message it "sends"). A message a worker is sending at this very moment
        still leaves, but no copy of it stays. Returns how many outbox messages went."""
        message_ids = [m for m in self.values_list("message_id", flat=True) if m]
        if message_ids:
            MailboxMessage.objects.filter(message_id__in=message_ids).delete()
        _total, counts = self.delete()  # the total counts the address rows too
        return counts.get(self.model._meta.label, 0)


class OutgoingMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        HELD = "held", _("held")
        SENDING = "sending", _("sending")
        RETRY = "retry", _("awaiting retry")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("put in the queue"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("What the message is, e.g. confirmation or letter.")
    )
    # A group lets a whole set of messages be held and released together (e.g. one letter action).
    group = models.CharField(_("group"), max_length=60, blank=True)  # indexed in Meta
    language = models.CharField(_("language"), max_length=8, blank=True)
    send_after = models.DateTimeField(_("not before"), default=timezone.now)
    # Never after: the worker does not take the message once this has passed (it waits,
    # queued, for what wrote it to give it a new time). None for most mail: it goes whenever.
    send_before = models.DateTimeField(_("not after"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    message_id = models.CharField(_("Message-ID header"), max_length=200)

    # A value that does not open (its key left the key ring too early, or it is damaged)
    # reads as ``Unreadable``, not as an error that stops every query of the outbox: the
    # worker sets that one message aside (``unreadable``) and every other still goes.
    from_email = EncryptedTextField(_("sender"), reads_unreadable=True)
    to = EncryptedTextField(
        _("recipients"), help_text=_("Recipients, one per line."), reads_unreadable=True
    )
    cc = EncryptedTextField(blank=True, reads_unreadable=True)
    reply_to = EncryptedTextField(blank=True, reads_unreadable=True)
    subject = EncryptedTextField(_("subject"), reads_unreadable=True)
    body_text = EncryptedTextField(_("text"), reads_unreadable=True)
    body_html = EncryptedTextField(blank=True, reads_unreadable=True)
    headers = EncryptedTextField(
        blank=True, help_text=_("Extra headers as JSON."), reads_unreadable=True
    )
    attachments = EncryptedTextField(
        blank=True, help_text=_("Attachments as JSON."), reads_unreadable=True
    )
    # A message written when it is sent rather than when it is queued: the name of the
    # composer that writes subject and bodies (picketline.mail.composers), and what the
    # message is about. Confirmation mails are queued this way, so a request renders no mail.
    compose_with = models.CharField(max_length=120, blank=True)
    compose_ref = models.CharField(max_length=120, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        permissions = [
            ("requeue_outgoingmessage", _("Can send again a message that could not be read"))
        ]
        # The outbox keeps every message sent, and its worker updates each row twice (claimed,
        # then sent), where a changed status rules out PostgreSQL's in-place (HOT) updates. So
        # the worker's look-ups use partial indexes holding only the messages still in play:
        # small, written only while a message waits or is being sent, and in the claim's order
        # (an index on status then time cannot give "queued or retry, oldest first" without
        # sorting every waiting message).
        indexes = [
            models.Index(
                fields=["send_after", "id"],
                condition=Q(status__in=["queued", "retry"]),
                name="mail_outgoing_due",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="mail_outgoing_sending"
            ),
            models.Index(
                fields=["claim_token"],
                condition=Q(claim_token__isnull=False),
                name="mail_outgoing_claim",
            ),
            models.Index(fields=["group"], name="mail_outgoing_group"),
            # The dashboard counts the failed and the held ones without reading the sent ones.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["failed", "held"]),
                name="mail_outgoing_stuck",
            ),
            # The hourly purge of sent mail (``done_before``) reads the old ones, not every row.
            models.Index(fields=["sent_at"], condition=Q(status="sent"), name="mail_outgoing_sent"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(update_fields) & ADDRESS_FIELDS:
            super().save(*args, **kwargs)
            return
        # Written, or its addresses changed: its address rows follow in the same transaction.
        inserting = self.pk is None or kwargs.get("force_insert")
        if not inserting and self.unreadable().keys() & ADDRESS_FIELDS:
            # Its addresses cannot be read, so they cannot have changed: the rows written when
            # they could be read still find the message (erasure, the privacy page).
            super().save(*args, **kwargs)
            return
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if not inserting:
                MessageAddress.objects.filter(message_id=self.pk).delete()
            MessageAddress.write_for([self])

    def indexes_of_addresses(self) -> list[str]:
        """The blind indexes of every address in From, Reply-To, To and Cc: what its
        ``MessageAddress`` rows hold. The site's own sending address in From is left out: it
        is the From of every message and says nothing of whom a message concerns; indexed,
        someone who gave it as their own address would see the whole outbox as theirs, and
        erasing them would delete it. Mail sent to that address is theirs, and indexed."""
        lines = [*self.to.splitlines(), *self.cc.splitlines(), *self.reply_to.splitlines()]
        addresses = addresses_in(lines)
        if self.from_email != settings.DEFAULT_FROM_EMAIL:  # that one is the site's own
            site = normalise_email(site_sender_address())
            senders = addresses_in([self.from_email])
            addresses |= {a for a in senders if normalise_email(a) != site}
        return sorted({email_index(address) for address in addresses})

    @classmethod
    def queue(cls, **fields: Any) -> OutgoingMessage:
        """Write one message to the outbox (arguments as for ``build``); the worker sends it.
        Call inside the transaction that creates what the message is about, so neither exists
        without the other."""
        message = cls.build(**fields)
        message.save(force_insert=True)
        return message

    @classmethod
    def build(
        cls,
        *,
        to: list[str],
        subject: str,
        text: str,
        kind: str,
        html: str = "",
        from_email: str = "",
        reply_to: list[str] | None = None,
        cc: list[str] | None = None,
        headers: dict[str, str] | None = None,
        attachments: list[Attachment] | None = None,
        language: str = "",
        group: str = "",
        send_after: datetime | None = None,
        send_before: datetime | None = None,
        held: bool = False,
        message_id: str = "",
        compose_with: str = "",
        compose_ref: str = "",
    ) -> OutgoingMessage:
        """The message ``queue`` would write, unsaved: for writing many with ``bulk_create``."""
        message = cls(
            to="\n".join(to),
            cc="\n".join(cc or []),
            subject=subject,
            body_text=text,
            body_html=html,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            reply_to="\n".join(reply_to or []),
            headers=json.dumps(headers) if headers else "",
            attachments=json.dumps(
                [
                    {
                        "filename": a.filename,
                        "mimetype": a.mimetype,
                        "content": base64.b64encode(a.content).decode(),
                    }
                    for a in attachments
                ]
            )
            if attachments
            else "",
            kind=kind,
            language=language,
            group=group,
            send_after=send_after or timezone.now(),
            send_before=send_before,
            status=cls.Status.HELD if held else cls.Status.QUEUED,
            message_id=message_id or make_msgid(domain=_message_id_domain()),
            compose_with=compose_with,
            compose_ref=compose_ref,
        )
        return message

    def compose(self) -> bool:
        """Write subject and bodies now if the message was queued to be written when sent
        (``compose_with``). False when what it is about is gone: nothing to send."""
        if not self.compose_with:
            return True
        return bool(composer(self.compose_with).compose(self))

    def unreadable(self) -> dict[str, Unreadable]:
        """The fields whose stored value does not open (by name), among those loaded (read
        from the instance's own attributes: a deferred field is not loaded for this)."""
        loaded = vars(self)
        return {
            field.name: value
            for field in ENCRYPTED_FIELDS
            if isinstance(value := loaded.get(field.attname), Unreadable)
        }

    def why_unreadable(self) -> str:
        """Why the message cannot be sent, as ``last_error`` keeps it ("" when it can be read):
        which fields, and why the first does not open; never a word of the content."""
        fields = self.unreadable()
        if not fields:
            return ""
        first = next(iter(fields.values()))
        return f"{UNREADABLE} ({', '.join(fields)}): {first.reason}"[:300]

    def shown_subject(self) -> str:
        """The subject, for the addressee's own privacy page: as stored, or, for mail written
        when sent (the outbox keeps no copy), as its composer tells it again."""
        if isinstance(self.subject, Unreadable):
            return gettext("(the subject of this e-mail can no longer be read)")
        if self.subject or not self.compose_with:
            return self.subject
        try:
            describe = composer(self.compose_with).describe
        except UnknownComposer:
            return ""
        return describe(self) if describe is not None else ""

    @staticmethod
    def look_up_to_compose(messages: list[OutgoingMessage]) -> dict[int, Exception]:
        """Before a batch is sent: let each composer with a ``look_up`` read at once what its
        messages need (one query, not one per message). ``compose`` then uses it.

        A look-up that fails for the batch is tried again message by message, so that one
        message it cannot read does not stop the others, round after round. Returns the
        messages whose own look-up failed (by key, with the error): they are not sent."""
        groups: dict[str, list[OutgoingMessage]] = {}
        for message in messages:
            if message.compose_with:
                groups.setdefault(message.compose_with, []).append(message)
        failed: dict[int, Exception] = {}
        for name, group in groups.items():
            try:
                look_up = composer(name).look_up
            except UnknownComposer:
                continue  # each of these fails on its own when it is composed
            if look_up is None:
                continue
            try:
                look_up(group)
            except Exception:
                for message in group:
                    try:
                        look_up([message])
                    except Exception as exc:
                        failed[message.pk] = exc
        return failed

    def recipients(self) -> list[str]:
        return [line for line in self.to.splitlines() if line]

    def attachment_list(self) -> list[Attachment]:
        if not self.attachments:
            return []
        return [
            Attachment(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
            for a in json.loads(self.attachments)
        ]

    def to_email_message(self) -> EmailMultiAlternatives:
        headers = json.loads(self.headers) if self.headers else {}
        headers["Message-ID"] = self.message_id
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            from_email=self.from_email,
            to=self.recipients(),
            cc=[line for line in self.cc.splitlines() if line],
            reply_to=[line for line in self.reply_to.splitlines() if line],
            headers=headers,
        )
        if self.body_html:
            email.attach_alternative(self.body_html, "text/html")
        for attachment in self.attachment_list():
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        return email

    def next_retry_delay(self) -> timedelta:
        return BACKOFF[min(self.attempts, len(BACKOFF)) - 1] if self.attempts else BACKOFF[0]


ENCRYPTED_FIELDS = [
    f for f in OutgoingMessage._meta.concrete_fields if isinstance(f, EncryptedMixin)
]


class MessageAddress(models.Model):
    """One address a message holds (From, Reply-To, To or Cc), as its keyed blind index: how
    a person's mail is found (``OutgoingMessage.objects.involving``) through an index, without
    decrypting or scanning the outbox. Written with the message, deleted with it."""

    message = models.ForeignKey(OutgoingMessage, on_delete=models.CASCADE, related_name="+")
    address_index = models.CharField(max_length=64)

    class Meta:
        # A plain index (a field's db_index would add a pattern-matching one on PostgreSQL).
        indexes = [models.Index(fields=["address_index"], name="mail_message_address")]
        verbose_name = _("address of a message")
        verbose_name_plural = _("addresses of messages")

    def __str__(self) -> str:
        return self.address_index[:12]

    @classmethod
    def write_for(cls, messages: list[OutgoingMessage]) -> None:
        """Write the address rows of ``messages`` (saved ones) with a plain multi-row INSERT,
        the same on SQLite and PostgreSQL, that asks nothing back: the ORM's ``bulk_create``
        costs a web request more Python than the row or two a message has. As many rows a
        statement as the database takes (all of them on PostgreSQL)."""
        rows = [
            (message.pk, index) for message in messages for index in message.indexes_of_addresses()
        ]
        fields = [cls._meta.get_field(name) for name in ("message", "address_index")]
        quote = connection.ops.quote_name
        table = quote(cls._meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        step = max(1, connection.ops.bulk_batch_size(fields, rows))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                marks = ", ".join(["(%s, %s)"] * len(chunk))
                values = [value for row in chunk for value in row]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {marks}", values)


def addresses_in(lines: list[str]) -> set[str]:
    """The addresses in header lines (a line that is a plain address needs no parse)."""
    plain = {line for line in lines if PLAIN_ADDRESS.fullmatch(line)}
    parsed = [line for line in lines if line not in plain]
    return plain | {address for _name, address in getaddresses(parsed) if address}


def site_sender_address() -> str:
    """The address every message leaves from (``DEFAULT_FROM_EMAIL``)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _message_id_domain() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "picketline.invalid"


class MailboxMessage(models.Model):
    """The local mailbox: where mail goes in demo mode instead of leaving the machine."""

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    message_id = models.CharField(_("Message-ID header"), max_length=200, blank=True)
    from_email = EncryptedTextField(_("sender"))
    to = EncryptedTextField(_("recipients"))
    subject = EncryptedTextField(_("subject"))
    body_text = EncryptedTextField(_("text"), blank=True)
    body_html = EncryptedTextField(_("HTML"), blank=True)
    raw = EncryptedTextField(
        _("whole message"), help_text=_("The whole message as it would have been sent.")
    )

    class Meta:
        verbose_name = _("message in the local mailbox")
        verbose_name_plural = _("local mailbox")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.subject


def sent_mail_kept_for() -> timedelta:
    """How long sent and failed messages stay in the outbox (and the local mailbox)."""
    return timedelta(days=getattr(settings, "SENT_MAIL_KEEP_DAYS", 30))


def purge_old_mail(now: datetime | None = None) -> int:
    """Delete the messages sent or failed longer ago than ``sent_mail_kept_for()``, and the
    local mailbox's messages as old. Returns how many outbox messages went."""
    cutoff = (now or timezone.now()) - sent_mail_kept_for()
    deleted = OutgoingMessage.objects.done_before(cutoff).delete_with_copies()
    MailboxMessage.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def lease() -> timedelta:
    """How long a worker's claim on a message lasts without renewal."""
    return timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 120))


BOUNCE_LIMIT = 3


class AddressHealthQuerySet(models.QuerySet["AddressHealth"]):
    def for_addresses(self, addresses: list[str]) -> AddressHealthQuerySet:
        return self.filter(address_index__in=[email_index(a) for a in addresses])

    def bouncing(self, addresses: list[str]) -> set[str]:
        """The given addresses that are marked bouncing (as given, not normalised)."""
        if not addresses:
            return set()
        by_index = {email_index(a): a for a in addresses}
        marked = self.filter(
            address_index__in=list(by_index), bouncing_since__isnull=False
        ).values_list("address_index", flat=True)
        return {by_index[index] for index in marked}


class AddressHealth(models.Model):
    """Delivery health of one address, found by its blind index (the address is not stored).

    Permanent refusals in a row are counted; after ``BOUNCE_LIMIT`` the address is bouncing and
    the outbox stops trying it until an organiser clears the mark or a delivery succeeds."""

    address_index = models.CharField(
        _("address (blind index)"),
        max_length=64,
        unique=True,
        help_text=_("A keyed hash of the address: the address itself is not kept here."),
    )
    hard_failures = models.PositiveSmallIntegerField(_("hard failures in a row"), default=0)
    bouncing_since = models.DateTimeField(_("bouncing since"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last hard failure"), null=True, blank=True)
    last_delivered_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    objects = AddressHealthQuerySet.as_manager()

    class Meta:
        verbose_name = _("address health")
        verbose_name_plural = _("address health")

    def __str__(self) -> str:
        return self.address_index[:12]

    @classmethod
    def record_hard_failure(cls, address: str, now: datetime | None = None) -> None:
        now = now or timezone.now()
        index = email_index(address)
        cls.objects.get_or_create(address_index=index)
        cls.objects.filter(address_index=index).update(
            hard_failures=models.F("hard_failures") + 1, last_failure_at=now
        )
        cls.objects.filter(
            address_index=index, hard_failures__gte=BOUNCE_LIMIT, bouncing_since__isnull=True
        ).update(bouncing_since=now)

    @classmethod
    def record_deliveries(cls, addresses: list[str], now: datetime | None = None) -> None:
        """Clear the failure count of addresses that just took a message (one query when none
        had failed, which is nearly always)."""
        if addresses:
            cls.objects.filter(
                address_index__in={email_index(a) for a in addresses}, hard_failures__gt=0
            ).update(hard_failures=0, bouncing_since=None, last_delivered_at=now or timezone.now())
