"""From a confirmed letter to mail that governments read.

Confirming a letter marks it confirmed; the periodic job first writes one ``Delivery`` per
target of each letter confirmed since its last run (a unique constraint keeps a supporter from
writing to one target twice in one action), then moves deliveries into the outbox according to
the action's policy:

- single letters: each target gets at most ``max_per_hour`` letters of an action in any hour,
  only inside the daily sending window in the target's time zone, spaced at random around
  ``3600 / max_per_hour`` seconds so that they do not arrive like clockwork. Only the next
  hour's slots are put into the outbox; the rest wait here.
- daily digest: once a day (the first run inside the window) each target gets one message
  listing everyone who wrote since the last digest. A row per action, target and day, unique,
  makes "once" hold even with two workers.

The rule holds after a breakdown too. Each letter's outbox row says when it may go at the
latest (``send_before``: its slot + ``GRACE``, and never past the window's close; a digest, the
window's close), and the outbox's claim never takes a row past that; the hard hourly cap
counts the grace in, so letters sent late within it still keep the limit. A letter that could
not go in time (the worker was down, or far behind) waits, and the next run gives it a new
slot by the same rule, as it does to a letter the outbox put back to be retried, keeping its
outbox row and its attempts; a digest that would go outside the window waits for its next
opening. The outbox itself knows nothing of windows: its send loop checks nothing per message,
and other mail (confirmations…) has no ``send_before`` and goes as soon as it can.

Pausing an action holds its outbox group at once and takes back the single letters not yet
sent (they return to waiting, in order); resuming gives them fresh slots from now.
"""

from __future__ import annotations

import logging
import random
from collections import deque
from collections.abc import Collection
from datetime import datetime, time, timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from picketline.campaigns import mentions
from picketline.letters.countries import country_name
from picketline.letters.models import (
    PLACEHOLDERS,
    Delivery,
    Digest,
    Letter,
    LetterAction,
    Target,
    fill_lines,
    fill_placeholders,
)
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage, _message_id_domain
from picketline.supporters.models import Consent, DangerousCountry
from picketline.web.content import content_changed

HORIZON = timedelta(hours=1)
# How late after its slot a single letter may still go (a worker a little behind): past that it
# is planned again. The hard hourly cap (``Slots``) leaves this much more than an hour.
GRACE = timedelta(minutes=5)
JITTER = 0.3
logger = logging.getLogger(__name__)
CHUNK = 200
RECENT_CAP = 2000
# Outbox states in which a message can still be taken back.
UNSENT = (
    OutgoingMessage.Status.QUEUED,
    OutgoingMessage.Status.HELD,
    OutgoingMessage.Status.RETRY,
)


def organisation_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "campaign@localhost"


def organisation_sender() -> str:
    return settings.DEFAULT_FROM_EMAIL


# Confirmation ----------------------------------------------------------------------------


def consent_to_send_stands() -> Exists:
    """For a delivery: its writer's consent to send the letter in their name is still in force.
    Nothing goes in anyone's name without it, and withdrawing it stops what has not gone."""
    return Exists(
        Consent.objects.filter(
            action_type=Letter._meta.label_lower,
            action_id=OuterRef("letter_id"),
            purpose=Consent.Purpose.SEND_IN_MY_NAME,
            withdrawn_at__isnull=True,
        )
    )


def may_send_in_name(letter: Letter) -> bool:
    return (
        Consent.objects.for_action(letter)
        .filter(purpose=Consent.Purpose.SEND_IN_MY_NAME, withdrawn_at__isnull=True)
        .exists()
    )


def write_confirmed_letters(now: datetime | None = None, batch: int = CHUNK) -> int:
    """Write the deliveries and copies of the letters confirmed since the last run (the
    confirming request only marks a letter confirmed), oldest first; returns how many letters.
    Each batch is written in one transaction with the letters' mark, its rows locked and
    skipped by a second worker, so a letter is written once, even when a run is killed. A
    letter that cannot be written (an error) stays unmarked for the next run, logged, and
    holds up no other letter."""
    written = 0
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            letters = list(
                Letter.objects.filter(
                    confirmed_at__isnull=False, deliveries_written_at__isnull=True
                )
                .exclude(pk__in=failed)
                .select_related("supporter", "action")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("confirmed_at", "pk")[:batch]
            )
            if not letters:
                return written
            done = []
            for letter in letters:
                try:
                    with transaction.atomic():
                        if letter.supporter_id is not None:  # not erased in the meantime
                            letter_confirmed(letter)
                except Exception:
                    logger.exception("letters: letter %s not written; next run again", letter.pk)
                    failed.add(letter.pk)
                else:
                    done.append(letter.pk)
            Letter.objects.filter(pk__in=done).update(deliveries_written_at=now or timezone.now())
        written += len(done)


def goes_out(letter: Letter) -> bool:
    """May this confirmed letter be written to its recipients now: its writer still consents
    to it going in their name, and its country is not one marked as dangerous."""
    return may_send_in_name(letter) and not DangerousCountry.is_dangerous(letter.country)


def letter_confirmed(letter: Letter) -> list[Target]:
    """Write one delivery per target (none twice) and the supporter's copy, for a confirmed
    letter (``write_confirmed_letters``). A letter whose consent to be sent in the writer's
    name was withdrawn before this goes nowhere, and so does one written from a country the
    organisers marked as dangerous (since it was written)."""
    if not goes_out(letter):
        return []
    targets = letter.targets()
    Delivery.objects.bulk_create(
        [
            Delivery(
                letter=letter,
                action_id=letter.action_id,
                target=target,
                supporter_id=letter.supporter_id,
            )
            for target in targets
        ],
        ignore_conflicts=True,
    )
    if letter.send_copy and letter.supporter_id and targets:
        queue_copy(letter, targets)
    return targets


def queue_copy(letter: Letter, targets: list[Target]) -> OutgoingMessage:
    composed = letter.compose(targets[0])
    from picketline.letters.pdf import letter_pdf_url

    with translation.override(composed.language):
        context = {
            "letter": letter,
            "subject": composed.subject,
            "body": composed.body,
            "targets": targets,
            "pdf_url": letter_pdf_url(letter),
            "action": letter.action,
        }
        mail_subject = render_to_string("letters/email/copy_subject.txt", context)
        text = render_to_string("letters/email/copy_body.txt", context)
    return OutgoingMessage.queue(
        to=[letter.supporter.email],
        subject=" ".join(mail_subject.split()),
        text=text,
        kind="letter-copy",
        language=composed.language,
    )


def erase_from_outbox(letter: Letter) -> int:
    """On erasure: take back what has not gone yet, and delete from the outbox every message
    that carries this letter, whatever its state. A single letter names its writer in From and
    in its body; a daily digest lists its writer among the others. Returns how many
    deliveries were cancelled.

    A digest not sent yet is taken back whole: its other letters wait again and the next run
    writes a new digest without this one. A digest that went loses its stored copy; its
    letters stay counted."""
    with transaction.atomic():
        # The letter locked first: a worker writing its deliveries at this moment
        # (``write_confirmed_letters``) commits them before we look for them.
        Letter.objects.select_for_update().filter(pk=letter.pk).values_list("pk").first()
        deliveries = list(
            letter.deliveries.select_for_update(of=("self",)).values_list(
                "pk", "status", "message_id", "message__status", "digest_id"
            )
        )
        cancelled: list[int] = []
        doomed_messages: list[int] = []
        for pk, status, message_id, message_status, _digest_id in deliveries:
            if status == Delivery.Status.PENDING:
                cancelled.append(pk)
            elif status == Delivery.Status.QUEUED and message_id is not None:
                doomed_messages.append(message_id)
                if message_status in UNSENT:
                    cancelled.append(pk)
        digest_ids = {digest_id for *_rest, digest_id in deliveries if digest_id is not None}
        for digest in Digest.objects.select_for_update().filter(pk__in=digest_ids):
            message_status = (
                OutgoingMessage.objects.filter(pk=digest.message_id)
                .values_list("status", flat=True)
                .first()
            )
            if digest.message_id is not None:
                doomed_messages.append(digest.message_id)
            if message_status in UNSENT:
                Delivery.objects.filter(digest=digest).exclude(letter=letter).update(
                    status=Delivery.Status.PENDING, digest=None, scheduled_for=None
                )
                cancelled.extend(
                    pk for pk, *_rest, digest_id in deliveries if digest_id == digest.pk
                )
                digest.delete()
        OutgoingMessage.objects.filter(pk__in=doomed_messages).delete_with_copies()
        return Delivery.objects.filter(pk__in=cancelled).update(
            status=Delivery.Status.CANCELLED, message=None, digest=None
        )


def cancel_unsent(letter: Letter) -> int:
    """Take back everything of this letter that has not gone yet (on erasure, or when its
    writer withdraws the consent to send it in their name): waiting deliveries, single letters
    still in the outbox, and the writer's entry in a daily digest not sent yet, which is
    written again without it. Returns how many deliveries were cancelled."""
    with transaction.atomic():
        # The letter locked first: a worker writing its deliveries at this moment
        # (``write_confirmed_letters``) commits them before we look for them.
        Letter.objects.select_for_update().filter(pk=letter.pk).values_list("pk").first()
        # Locked first: a scheduler queueing these deliveries at this moment finishes before
        # we look at them, and one that comes after finds them cancelled.
        deliveries = list(
            letter.deliveries.select_for_update(of=("self",)).filter(
                status__in=[
                    Delivery.Status.PENDING,
                    Delivery.Status.QUEUED,
                    Delivery.Status.DIGESTED,
                ]
            )
        )
        singles = [d.message_id for d in deliveries if d.status == Delivery.Status.QUEUED]
        digests = {d.digest_id for d in deliveries if d.status == Delivery.Status.DIGESTED}
        digest_messages = dict(
            Digest.objects.filter(pk__in=digests, message__isnull=False).values_list(
                "pk", "message_id"
            )
        )
        # Locked too, so that no worker claims them meanwhile (a claimed one is on its way).
        stoppable = set(
            OutgoingMessage.objects.select_for_update()
            .filter(pk__in=[*singles, *digest_messages.values()], status__in=UNSENT)
            .values_list("pk", flat=True)
        )
        cancelled = []
        for delivery in deliveries:
            if delivery.status == Delivery.Status.PENDING:
                cancelled.append(delivery.pk)
            elif delivery.status == Delivery.Status.QUEUED and delivery.message_id in stoppable:
                cancelled.append(delivery.pk)
            elif (
                delivery.status == Delivery.Status.DIGESTED
                and digest_messages.get(delivery.digest_id) in stoppable
            ):
                cancelled.append(delivery.pk)
        Delivery.objects.filter(pk__in=cancelled).update(status=Delivery.Status.CANCELLED)
        OutgoingMessage.objects.filter(pk__in=stoppable.intersection(singles)).delete()
        for digest_id, message_id in digest_messages.items():
            if message_id in stoppable:
                rewrite_digest(Digest.objects.select_related("action", "target").get(pk=digest_id))
        return len(cancelled)


# Sending windows ----------------------------------------------------------------------------


def in_window(action: LetterAction, target: Target, moment: datetime) -> bool:
    local = moment.astimezone(target.zone).time()
    start, end = action.window_start, action.window_end
    if start == end:
        return True
    if start < end:
        return start <= local < end
    return local >= start or local < end  # a window across midnight


def next_window_opening(action: LetterAction, target: Target, moment: datetime) -> datetime:
    """``moment`` if it is inside the window, else the next time the window opens."""
    if in_window(action, target, moment):
        return moment
    local = moment.astimezone(target.zone)
    opening = datetime.combine(local.date(), action.window_start, tzinfo=target.zone)
    if opening <= local:
        opening = datetime.combine(
            local.date() + timedelta(days=1), action.window_start, tzinfo=target.zone
        )
    return opening


def window_close(action: LetterAction, target: Target, moment: datetime) -> datetime | None:
    """When the window that ``moment`` is in closes (None: the window is the whole day)."""
    start, end = action.window_start, action.window_end
    if start == end:
        return None
    local = moment.astimezone(target.zone)
    day = local.date()
    if start > end and local.time() >= start:  # a window across midnight, before midnight
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=target.zone)


def latest_send(action: LetterAction, target: Target, slot: datetime) -> datetime:
    """The ``send_before`` of a single letter planned at ``slot`` (inside the window)."""
    close = window_close(action, target, slot)
    return min(slot + GRACE, close) if close is not None else slot + GRACE


# Single letters ------------------------------------------------------------------------------


def letter_message(delivery: Delivery) -> OutgoingMessage:
    """The outbox row for one delivery, unsaved."""
    letter, target = delivery.letter, delivery.target
    composed = letter.compose(target)
    supporter = letter.supporter
    return OutgoingMessage.build(
        to=target.deliverable_addresses(),
        subject=composed.subject,
        text=composed.body,
        kind="letter",
        from_email=formataddr((supporter.name, organisation_address())),
        reply_to=[supporter.email],
        language=composed.language,
        group=letter.action.outbox_group,
        send_after=delivery.scheduled_for,
        send_before=latest_send(letter.action, target, delivery.scheduled_for),
        message_id=f"<letter.{delivery.pk}.{letter.action_id}@{_message_id_domain()}>",
        headers={"X-Picketline-Action": letter.action.slug},
    )


def _gap(base: timedelta) -> timedelta:
    return base * random.uniform(1 - JITTER, 1 + JITTER)


class Slots:
    """The times at which the letters of ``action`` to ``target`` may go, one after another,
    from ``now``: spaced by ``3600 / max_per_hour`` seconds on average, each gap drawn at random
    around that, never less than an hour and ``GRACE`` after the letter ``max_per_hour`` places
    before (so no hour ever holds more than the limit, even when each letter goes as late as
    its ``send_before``), and only inside the window in the target's zone.
    The letters planned already count, those in ``excluding`` (about to be planned again) not."""

    def __init__(
        self,
        action: LetterAction,
        target: Target,
        now: datetime,
        excluding: Collection[int] = (),
    ) -> None:
        self.action, self.target = action, target
        self.limit = action.max_per_hour
        self.base = timedelta(seconds=3600 / self.limit)
        planned = (
            Delivery.objects.filter(action=action, target=target)
            .exclude(status=Delivery.Status.CANCELLED)
            .exclude(pk__in=excluding)
        )
        # The hard hourly cap needs the last ``limit`` slots; above RECENT_CAP letters an hour
        # only the spacing holds the rate (a gap of under two seconds on average).
        remembered = min(self.limit, RECENT_CAP)
        self.recent: deque[datetime] = deque(
            sorted(
                planned.filter(scheduled_for__gt=now - timedelta(hours=1))
                .order_by("-scheduled_for")
                .values_list("scheduled_for", flat=True)[:remembered]
            ),
            maxlen=remembered,
        )
        if not self.recent:
            last = (
                planned.filter(scheduled_for__isnull=False)
                .order_by("-scheduled_for")
                .values_list("scheduled_for", flat=True)
                .first()
            )
            if last:
                self.recent.append(last)
        self.slot = max(now, self.recent[-1] + _gap(self.base)) if self.recent else now

    def take(self, earliest: datetime | None = None) -> datetime:
        """The next slot, not before ``earliest``; it counts from now on."""
        when = self.slot if earliest is None else max(self.slot, earliest)
        if len(self.recent) == self.limit:  # only when limit <= RECENT_CAP
            when = max(when, self.recent[0] + timedelta(hours=1) + GRACE)
        if not in_window(self.action, self.target, when):
            when = next_window_opening(self.action, self.target, when) + self.base * random.uniform(
                0, JITTER
            )
        self.recent.append(when)
        self.slot = when + _gap(self.base)
        return when


def schedule_target(action: LetterAction, target: Target, now: datetime) -> tuple[int, bool]:
    """Put the next hour's letters of ``action`` to ``target`` into the outbox, one chunk at a
    time, at the times ``Slots`` gives. Returns how many were queued and whether another chunk
    may be due."""
    slots = Slots(action, target, now)
    horizon = now + HORIZON
    # Plan the slots on ids alone: most runs queue nothing (the next slot is later), and
    # loading a letter means decrypting it.
    pending = list(
        Delivery.objects.filter(action=action, target=target, status=Delivery.Status.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:CHUNK]
    )
    plan: list[tuple[int, datetime]] = []
    for delivery_id in pending:
        when = slots.take()
        if when > horizon:
            break
        plan.append((delivery_id, when))
    if not plan:
        return 0, False
    queued = _queue_planned(target, plan)
    return queued, len(plan) == CHUNK


def _queue_planned(target: Target, plan: list[tuple[int, datetime]]) -> int:
    """Write the planned letters to the outbox in one transaction: the deliveries are locked,
    so a pause or an erasure at the same moment waits, and a delivery that changed meanwhile
    is left alone."""
    addresses = target.deliverable_addresses()
    with transaction.atomic():
        rows = Delivery.objects.select_for_update(of=("self",)).filter(
            pk__in=[delivery_id for delivery_id, _ in plan], status=Delivery.Status.PENDING
        )
        by_id = {
            d.pk: d for d in rows.select_related("letter__supporter", "letter__action", "target")
        }
        allowed = set(rows.filter(consent_to_send_stands()).values_list("pk", flat=True))
        to_queue, cancelled = [], []
        for delivery_id, when in plan:
            delivery = by_id.get(delivery_id)
            if delivery is None:
                continue
            if not addresses or delivery.letter.supporter is None or delivery_id not in allowed:
                delivery.status = Delivery.Status.CANCELLED
                cancelled.append(delivery)
                continue
            delivery.status = Delivery.Status.QUEUED
            delivery.scheduled_for = when
            to_queue.append(delivery)
        messages = OutgoingMessage.objects.bulk_create([letter_message(d) for d in to_queue])
        for delivery, message in zip(to_queue, messages, strict=True):
            delivery.message = message
        Delivery.objects.bulk_update(
            to_queue + cancelled, ["status", "scheduled_for", "message"], batch_size=500
        )
    return len(to_queue)


# Letters held up -----------------------------------------------------------------------------

# In the outbox and not on its way (a held message waits for its action to resume).
WAITING = (OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.RETRY)
# How far ahead the scheduler looks at what the outbox holds: longer than the letters' job's
# interval, so that what it would send is planned again before it is due.
LOOKAHEAD = timedelta(minutes=1)


def due_soon_in_outbox(kind: str, now: datetime, held_up_only: bool = False) -> list[int]:
    """The messages of ``kind`` whose time comes within ``LOOKAHEAD`` or has come, read through
    the outbox's index of waiting messages ("mail_outgoing_due") from its due end: what a
    mailing wrote ahead, and every letter that went, stay unread. ``held_up_only``: only those
    put back to be retried and those past their ``send_before`` (the outbox no longer takes
    them)."""
    waiting = OutgoingMessage.objects.filter(
        status__in=WAITING, send_after__lte=now + LOOKAHEAD, kind=kind
    )
    if held_up_only:
        waiting = waiting.filter(Q(status=OutgoingMessage.Status.RETRY) | Q(send_before__lte=now))
    return list(waiting.order_by().values_list("pk", flat=True))


def held_up(now: datetime) -> QuerySet[Delivery]:
    """Single letters the outbox did not send at their slot: a try failed (the mail server
    down, or refusing for a while) or a worker's claim ran out, and the outbox put the message
    back to be retried (``retry``) within ``LOOKAHEAD``, at whatever time that is; or no worker
    took it before its ``send_before`` (the worker was down, or far behind), and the outbox
    leaves it waiting. Each is planned again by the action's rule (``replan_held_up``), so that
    none goes at night, nor beside everything else held up with it, when sending works again."""
    late = due_soon_in_outbox("letter", now, held_up_only=True)
    return Delivery.objects.filter(status=Delivery.Status.QUEUED, message_id__in=late)


def replan_held_up(
    action: LetterAction, target: Target, now: datetime, delivery_ids: Collection[int]
) -> int:
    """Give the held-up letters ``delivery_ids`` of ``action`` to ``target`` new slots after
    those planned already (``Slots``: inside the window, within the hourly limit), a retry not
    before its time. Their outbox rows stay as they are, attempts counted, but for their times
    (``send_after``, ``send_before``), and wait as queued again. Returns how many were planned
    again."""
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(of=("self",)).filter(
                pk__in=delivery_ids, status=Delivery.Status.QUEUED
            )
        )
        # Locked, so that no worker claims them meanwhile; one that claimed them first sends them.
        messages = {
            message.pk: message
            for message in OutgoingMessage.objects.select_for_update()
            .filter(pk__in=[d.message_id for d in rows], status__in=WAITING)
            .only("pk", "status", "send_after", "send_before")
        }
        rows = [d for d in rows if d.message_id in messages]
        rows.sort(key=lambda d: (max(now, messages[d.message_id].send_after), d.pk))
        slots = Slots(action, target, now, excluding=[d.pk for d in rows])
        for delivery in rows:
            message = messages[delivery.message_id]
            earliest = (
                message.send_after if message.status == OutgoingMessage.Status.RETRY else None
            )
            delivery.scheduled_for = message.send_after = slots.take(earliest)
            message.send_before = latest_send(action, target, message.send_after)
            message.status = OutgoingMessage.Status.QUEUED
        Delivery.objects.bulk_update(rows, ["scheduled_for"], batch_size=500)
        OutgoingMessage.objects.filter(status__in=WAITING).bulk_update(
            [messages[d.message_id] for d in rows],
            ["send_after", "send_before", "status"],
            batch_size=500,
        )
    return len(rows)


def replan_held_up_digests(now: datetime) -> int:
    """A digest that would go outside its window (it could not go in time, or the outbox moved
    its retry there), or that the outbox no longer takes (past its ``send_before``), waits for
    the window's next opening, and is that day's digest (``Digest.day``), so that no second one
    goes on it. Returns how many were moved."""
    moved = 0
    waiting = (
        Digest.objects.filter(
            message_id__in=due_soon_in_outbox("letter-digest", now), action__paused=False
        )
        .select_related("action", "target")
        .annotate(send_after=F("message__send_after"), send_before=F("message__send_before"))
    )
    for digest in waiting:
        going = max(now, digest.send_after)
        expired = digest.send_before is not None and digest.send_before <= going
        if in_window(digest.action, digest.target, going) and not expired:
            continue
        unsent = OutgoingMessage.objects.filter(pk=digest.message_id, status__in=WAITING)
        try:
            with transaction.atomic():
                # Locked, so that no worker claims it meanwhile; one that claimed it first sends it.
                if not list(unsent.select_for_update().values_list("pk", flat=True)):
                    continue
                opening = next_window_opening(digest.action, digest.target, going)
                day = opening.astimezone(digest.target.zone).date()
                others = Digest.objects.filter(action=digest.action, target=digest.target)
                while others.exclude(pk=digest.pk).filter(day=day).exists():
                    next_day = datetime.combine(
                        day + timedelta(days=1), time(0), digest.target.zone
                    )
                    opening = next_window_opening(digest.action, digest.target, next_day)
                    day = opening.astimezone(digest.target.zone).date()
                Digest.objects.filter(pk=digest.pk).update(day=day)
                unsent.update(
                    send_after=opening,
                    send_before=window_close(digest.action, digest.target, opening),
                )
                Delivery.objects.filter(digest=digest, status=Delivery.Status.DIGESTED).update(
                    scheduled_for=opening
                )
        except IntegrityError:
            continue  # another worker wrote that day's digest this instant: the next run again
        moved += 1
    return moved


def queue_due(now: datetime | None = None) -> int:
    """Move the letters whose turn has come into the outbox, once the letters confirmed since
    the last run have their deliveries. Idempotent; safe to kill."""
    now = now or timezone.now()
    queued = 0
    write_confirmed_letters()
    cancel_without_consent()
    waiting = (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            action__paused=False,
            action__sending_policy=LetterAction.SendingPolicy.INDIVIDUAL,
        )
        .order_by()
        .values_list("action_id", "target_id")
        .distinct()
    )
    late: dict[tuple[int, int], list[int]] = {}
    for action_id, target_id, delivery_id in (
        held_up(now).filter(action__paused=False).values_list("action_id", "target_id", "pk")
    ):
        late.setdefault((action_id, target_id), []).append(delivery_id)
    actions: dict[int, LetterAction] = {}
    targets: dict[int, Target] = {}
    for action_id, target_id in dict.fromkeys([*late, *waiting]):
        action = actions.get(action_id) or actions.setdefault(
            action_id, LetterAction.objects.get(pk=action_id)
        )
        target = targets.get(target_id) or targets.setdefault(
            target_id, Target.objects.prefetch_related("addresses").get(pk=target_id)
        )
        if (action_id, target_id) in late:
            replan_held_up(action, target, now, late[action_id, target_id])
        if action.sends_digests:
            continue
        more = True
        while more:
            done, more = schedule_target(action, target, now)
            queued += done
    return queued


# Daily digests -------------------------------------------------------------------------------


def send_digests(now: datetime | None = None) -> int:
    """Send today's digest to every target whose window is open and who has not had one today
    (the letters confirmed since the last run included)."""
    now = now or timezone.now()
    sent = 0
    write_confirmed_letters()
    cancel_without_consent()
    replan_held_up_digests(now)
    waiting = (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            action__paused=False,
            action__sending_policy=LetterAction.SendingPolicy.DIGEST,
        )
        .order_by()
        .values_list("action_id", "target_id")
        .distinct()
    )
    for action_id, target_id in list(waiting):
        action = LetterAction.objects.get(pk=action_id)
        target = Target.objects.prefetch_related("addresses").get(pk=target_id)
        if not in_window(action, target, now):
            continue
        sent += bool(send_digest(action, target, now))
    return sent


def send_digest(action: LetterAction, target: Target, now: datetime) -> Digest | None:
    day = now.astimezone(target.zone).date()
    addresses = target.deliverable_addresses()
    if not addresses:
        return None
    try:
        with transaction.atomic():
            digest = Digest.objects.create(action=action, target=target, day=day)
            deliveries = list(
                Delivery.objects.select_for_update(of=("self",))
                .filter(action=action, target=target, status=Delivery.Status.PENDING)
                .select_related("letter__supporter")
                .order_by("id")
            )
            allowed = set(
                Delivery.objects.filter(pk__in=[d.pk for d in deliveries])
                .filter(consent_to_send_stands())
                .values_list("pk", flat=True)
            )
            deliveries = [
                d for d in deliveries if d.letter.supporter is not None and d.pk in allowed
            ]
            if not deliveries:
                transaction.set_rollback(True)
                return None
            digest.letters = len(deliveries)
            digest.message = digest_message(action, target, deliveries, now)
            digest.save(update_fields=["letters", "message"])
            Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
                status=Delivery.Status.DIGESTED, digest=digest, scheduled_for=now
            )
            return digest
    except IntegrityError:
        return None  # today's digest exists already


def cancel_without_consent() -> int:
    """Waiting deliveries whose writer no longer consents to sending in their name are
    cancelled (withdrawal cancels them at once; this holds even for one that slipped past)."""
    return (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(~consent_to_send_stands())
        .update(status=Delivery.Status.CANCELLED)
    )


def rewrite_digest(digest: Digest) -> None:
    """Write a digest not sent yet again from the entries it still holds (one was cancelled);
    with none left, its message goes. The caller holds the lock on the message."""
    remaining = [
        d
        for d in Delivery.objects.filter(digest=digest, status=Delivery.Status.DIGESTED)
        .select_related("letter__supporter")
        .order_by("id")
        if d.letter.supporter is not None
    ]
    message = OutgoingMessage.objects.get(pk=digest.message_id)
    digest.letters = len(remaining)
    digest.save(update_fields=["letters"])
    if not remaining:
        message.delete()
        return
    subject, body, _language = digest_content(digest.action, digest.target, remaining)
    message.subject = subject
    message.body_text = body
    message.save(update_fields=["subject", "body_text"])


def digest_message(
    action: LetterAction, target: Target, deliveries: list[Delivery], now: datetime
) -> OutgoingMessage:
    """The digest's outbox row, written at ``now`` inside the window: it goes before the window
    closes, or waits for the next opening (``replan_held_up_digests``)."""
    subject, body, language = digest_content(action, target, deliveries)
    return OutgoingMessage.queue(
        to=target.deliverable_addresses(),
        subject=subject,
        text=body,
        kind="letter-digest",
        from_email=organisation_sender(),
        language=language,
        group=action.outbox_group,
        send_before=window_close(action, target, now),
        message_id=f"<digest.{action.pk}.{target.pk}.{deliveries[0].pk}@{_message_id_domain()}>",
    )


def _text_signed(letter: Letter, action: LetterAction) -> str:
    """The text a writer saw in the preview and signed, its placeholders unfilled."""
    if action.edit_policy == LetterAction.EditPolicy.WHOLE and letter.body:
        return letter.body
    text = action.text_for(letter.language)
    return f"{text.subject}\n{text.body}" if text else ""


def digest_content(
    action: LetterAction, target: Target, deliveries: list[Delivery]
) -> tuple[str, str, str]:
    """Subject, body and language of the digest listing ``deliveries``."""
    languages = target.language_list()
    language = next((code for code in languages if action.texts.filter(language=code)), "en")
    text = action.text_for(language)
    if text:
        language = text.language
    signatories = []
    countries: dict[str, None] = {}
    for delivery in deliveries:
        letter = delivery.letter
        own_text = ""
        if action.edit_policy == LetterAction.EditPolicy.WHOLE and letter.body:
            own_text = letter.compose(target).body
        country = country_name(letter.country, language) if letter.country else ""
        if country:
            countries[country] = None
        # Of its writer, a digest tells what the letter they saw in the preview told.
        signed = _text_signed(letter, action)
        signatories.append(
            {
                "name": letter.supporter.name,
                "country": country if "{country}" in signed else "",
                "organisation": letter.organisation if "{organisation}" in signed else "",
                "role": letter.role if "{role}" in signed else "",
                "own_words": letter.personal_paragraph or own_text,
            }
        )
    with translation.override(language):
        # Read inside the override: the recipient's name and salutation in the digest's language.
        values = {
            **dict.fromkeys(PLACEHOLDERS, ""),
            "salutation": target.greeting(),
            "name": str(_("the undersigned")),
            "recipient": target.name,
            # Where its writers write from: every country among them, once each.
            "country": ", ".join(countries),
        }
        # The people it names read as in a single letter (``Letter.compose``).
        letter_subject = fill_placeholders(text.subject, values) if text else action.title
        context = {
            "action": action,
            "target": target,
            "count": len(deliveries),
            "letter_subject": mentions.expand(letter_subject, language),
            "letter_body": mentions.expand(fill_lines(text.body, values), language) if text else "",
            "signatories": signatories,
        }
        subject = render_to_string("letters/email/digest_subject.txt", context)
        body = render_to_string("letters/email/digest_body.txt", context)
    return " ".join(subject.split()), body, language


# Withdrawal ----------------------------------------------------------------------------------


def stop_sending_in_name(consent: Consent) -> None:
    """Registered with ``supporters.withdrawal``: the writer withdrew "send this in my name"."""
    letter = Letter.objects.filter(pk=consent.action_id).first()
    if letter is not None:
        cancel_unsent(letter)


# Pause and resume ----------------------------------------------------------------------------


def pause(action: LetterAction) -> int:
    with transaction.atomic():
        LetterAction.objects.filter(pk=action.pk).update(paused=True)
        content_changed()  # the form stops offering "send" at once
        action.paused = True
        outbox.hold_group(action.outbox_group)
        taken_back = list(
            Delivery.objects.filter(
                action=action,
                status=Delivery.Status.QUEUED,
                message__status=OutgoingMessage.Status.HELD,
            ).values_list("pk", "message_id")
        )
        OutgoingMessage.objects.filter(
            pk__in=[m for _, m in taken_back], status=OutgoingMessage.Status.HELD
        ).delete()
        Delivery.objects.filter(pk__in=[d for d, _ in taken_back]).update(
            status=Delivery.Status.PENDING, scheduled_for=None, message=None
        )
        # A digest not sent yet is taken back whole, as on erasure: its letters wait again and
        # the first run inside the window after resuming writes that day's one digest (a
        # digest released on resuming would go at that hour, and beside that day's own).
        for digest in Digest.objects.select_for_update().filter(
            action=action, message__status=OutgoingMessage.Status.HELD
        ):
            Delivery.objects.filter(digest=digest, status=Delivery.Status.DIGESTED).update(
                status=Delivery.Status.PENDING, digest=None, scheduled_for=None
            )
            held = OutgoingMessage.objects.filter(
                pk=digest.message_id, status=OutgoingMessage.Status.HELD
            )
            digest.delete()
            held.delete_with_copies()
    return len(taken_back)


def resume(action: LetterAction) -> None:
    with transaction.atomic():
        LetterAction.objects.filter(pk=action.pk).update(paused=False)
        content_changed()
        action.paused = False
        outbox.release_group(action.outbox_group)
