"""Registrations: a supporter's place at an event, the waitlist, and the reminders sent.

Seats are handed out under a lock on the event's row, so two people confirming at the same moment
queue up rather than both take the last seat; a unique (event, seat) constraint would refuse the
second even if that lock were ever forgotten. The waitlist is first come, first served by the
moment the e-mail address was confirmed. When a seat frees, the first person waiting is offered
it for a limited time; if they do not take it, the offer lapses and the next is asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from picketline.events.models.event import Event, validate_time_zone
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import (
    CONFIRMING_FIELDS,
    LINK_PAGE_FIELDS,
    ConfirmableAction,
    ConfirmableActionQuerySet,
)
from picketline.web.fields import EncryptedTextField
from picketline.web.translated import with_translations

TOKEN_SALT = "picketline.events.registration"
CHECK_IN_SALT = "picketline.events.check-in"


def offer_lifetime() -> timedelta:
    """How long a freed seat is kept for the person it is offered to."""
    return timedelta(hours=getattr(settings, "EVENTS_OFFER_HOURS", 24))


class RegistrationQuerySet(ConfirmableActionQuerySet):
    def holding_seats(self) -> RegistrationQuerySet:
        return self.filter(seat__isnull=False)

    def attending(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def active(self) -> RegistrationQuerySet:
        """Everyone still expecting to hear about the event."""
        return self.filter(
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.OFFERED,
                Registration.Status.WAITLISTED,
            ]
        )


class Registration(ConfirmableAction):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("has a seat")
        WAITLISTED = "waitlisted", _("on the waitlist")
        OFFERED = "offered", _("offered a freed seat")
        CANCELLED = "cancelled", _("cancelled")
        LAPSED = "lapsed", _("did not take the offered seat in time")

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    seated_at = models.DateTimeField(_("seat given"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    offered_at = models.DateTimeField(_("seat offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    organisation = EncryptedTextField(_("organisation"), blank=True)
    interpretation_needs = EncryptedTextField(_("interpretation needs"), blank=True)
    accessibility_needs = EncryptedTextField(_("accessibility needs"), blank=True)
    # The browser's time zone places a registrant in a country: encrypted like the rest.
    time_zone = EncryptedTextField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )

    objects = RegistrationQuerySet.as_manager()

    counted_by = "event"
    # Confirming reads the event again, under its lock (``Event.admit_registration``), and
    # mails the registrant where they stand (``mails``: their address).
    shown_with_link = ("event",)
    fields_shown_with_link = (*LINK_PAGE_FIELDS, "event", *with_translations("event__title"))
    fields_loaded_to_confirm = (*CONFIRMING_FIELDS, "event", "status", "supporter__email")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "seat"],
                condition=models.Q(seat__isnull=False),
                name="events_one_registration_per_seat",
            )
        ]
        indexes = [
            # The waiting line of one event, in its order: who is offered the next free seat
            # (``Event._seats_question``) and the line as organisers see it, read without
            # sorting the event's rows.
            models.Index(
                fields=["event", "waitlisted_at", "id"],
                condition=models.Q(status="waitlisted"),
                name="events_waiting_line",
            )
        ]
        permissions = [
            ("see_registrant_details", _("Can see registrants' personal data")),
            ("export_registrations", _("Can export registrants as CSV")),
            ("check_in_registrants", _("Can check registrants in")),
            ("message_registrants", _("Can write to all registrants of an event")),
        ]

    def __str__(self) -> str:
        # Never the person: this string ends up in admin logs.
        return f"{_('Registration')} #{self.pk}"

    # ConfirmableAction ----------------------------------------------------------------------
    def confirmation_subject(self) -> str:
        with translation.override(self.language):
            return str(_("Your registration for %(event)s") % {"event": self.event.title})

    def on_confirmed(self) -> None:
        Event.admit_registration(self)

    def after_confirming_url(self, newly: bool) -> str:
        if not self.event.is_listed():
            # The event's own pages are gone with it from the list (an action in a country
            # marked as dangerous since): the page that names no action. The registrant's
            # own page, from their mails, still tells them everything about it.
            return reverse("supporters:confirmed" if newly else "supporters:already_confirmed")
        name = "events:confirmed" if newly else "events:already_confirmed"
        return reverse(name, kwargs={"slug": self.event.slug})

    def personal_data(self) -> dict[str, Any]:
        return {
            # Its title in the reader's language (the slug is part of an address, not a name).
            "event": self.event.title,
            "status": self.status,
            "organisation": self.organisation,
            "interpretation_needs": self.interpretation_needs,
            "accessibility_needs": self.accessibility_needs,
            "time_zone": self.time_zone,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
        }

    def shown_time_zone(self) -> str:
        # The zone the registrant chose for their mails, if any (no query for the event's).
        return self.time_zone or settings.TIME_ZONE

    def erase_personal_data(self) -> None:
        # An erased person keeps no seat and hears nothing more: the place is given up without
        # a goodbye mail, a freed seat is offered to the next person waiting, and the
        # personal link stops working once the registration has no supporter.
        self.cancel(tell=False)
        self.organisation = ""
        self.interpretation_needs = ""
        self.accessibility_needs = ""
        self.time_zone = ""

    # Links ----------------------------------------------------------------------------------
    def token(self) -> str:
        """The key to this person's own event page, only ever mailed. It works until
        ``link_expires_at()`` and dies at once when the registration is cancelled or the
        person erased (``from_token``)."""
        stamp = int(self.created_at.timestamp() * 1_000_000)
        return signing.dumps({"r": self.pk, "c": stamp}, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str, now: datetime | None = None) -> Registration | None:
        """The registration this link is for, or None when the link is forged, expired, or
        dead (registration cancelled, person erased)."""
        try:
            payload = signing.loads(token, salt=TOKEN_SALT)
            pk, stamp = int(payload["r"]), int(payload["c"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        found = (
            cls.objects.filter(pk=pk, supporter__isnull=False)
            .exclude(status=cls.Status.CANCELLED)
            .select_related("event", "supporter")
            .first()
        )
        if found is None or int(found.created_at.timestamp() * 1_000_000) != stamp:
            return None
        if found.supporter_id is None or (now or timezone.now()) >= found.link_expires_at():
            return None
        return found

    def link_expires_at(self) -> datetime:
        return self.event.ends_at + timedelta(days=settings.EVENTS_LINK_DAYS_AFTER)

    def personal_url(self) -> str:
        with translation.override(self.language):
            return settings.SITE_URL + reverse("events:mine", args=[self.token()])

    def cancel_url(self) -> str:
        with translation.override(self.language):
            return settings.SITE_URL + reverse("events:cancel", args=[self.token()])

    # State ----------------------------------------------------------------------------------
    @property
    def has_seat(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def may_join(self) -> bool:
        """Whether this person may see the join link: a seat, for an online part."""
        return self.has_seat and self.event.is_online and bool(self.event.join_url)

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.OFFERED, self.Status.WAITLISTED)

    def waitlist_position(self) -> int | None:
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = self.event.registrations.waiting().filter(
            models.Q(waitlisted_at__lt=self.waitlisted_at)
            | models.Q(waitlisted_at=self.waitlisted_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    def zone_name(self) -> str:
        return self.time_zone or self.event.time_zone

    def cancel(self, now: datetime | None = None, tell: bool = True) -> bool:
        """Give the place up; a freed seat goes to the next person waiting. False if there
        was nothing to cancel. ``tell=False`` sends the person no mail (on erasure)."""
        from picketline.events import mails

        now = now or timezone.now()
        with transaction.atomic():
            event = Event.objects.select_for_update(no_key=True).get(pk=self.event_id)
            fresh = Registration.objects.select_for_update().get(pk=self.pk)
            if fresh.status in (self.Status.CANCELLED, self.Status.LAPSED):
                return False
            freed = fresh.seat is not None
            Registration.objects.filter(pk=self.pk).update(
                status=self.Status.CANCELLED, seat=None, cancelled_at=now, offer_expires_at=None
            )
            self.refresh_from_db()
            self.drop_unsent_mail()
            if tell and fresh.confirmed_at is not None:
                mails.cancelled(self)
            if freed:
                event.offer_free_seats(now)
            return True

    def drop_unsent_mail(self) -> int:
        """Delete the event's mail to this person that no worker has taken yet (a message from
        the host or the organisers written a moment ago, a reminder): someone who cancelled
        gets none of it. Returns how many went."""
        if self.supporter is None:
            return 0
        waiting = [
            OutgoingMessage.Status.QUEUED,
            OutgoingMessage.Status.RETRY,
            OutgoingMessage.Status.HELD,
        ]
        unsent = OutgoingMessage.objects.involving([self.supporter.email]).filter(
            group=f"event-{self.event_id}", status__in=waiting
        )
        return unsent.delete_with_copies()

    def accept_offer(self, now: datetime | None = None) -> bool:
        """Take the seat offered. False when there is no offer (any more)."""
        from picketline.events import mails

        now = now or timezone.now()
        with transaction.atomic():
            Event.objects.select_for_update(no_key=True).get(pk=self.event_id)
            accepted = Registration.objects.filter(
                pk=self.pk, status=self.Status.OFFERED, offer_expires_at__gt=now
            ).update(status=self.Status.CONFIRMED, seated_at=now, offer_expires_at=None)
            if not accepted:
                return False
            self.refresh_from_db()
            mails.seat_given(self)
            return True

    # Check-in at the door -------------------------------------------------------------------
    def check_in_code(self) -> str:
        """What the registrant's QR code holds (inside a URL): signed, unguessable, and neither
        the name nor the address. It only identifies the registration to organisers who
        may check people in; the registrant's own link (``token``) is a different key."""
        return signing.dumps({"k": self.pk}, salt=CHECK_IN_SALT)

    @classmethod
    def from_check_in_code(cls, code: str) -> Registration | None:
        """The registration a code was made for, whatever its event and status (the door
        says what is wrong with it), or None for a forged or mistyped code."""
        try:
            pk = int(signing.loads(code.strip(), salt=CHECK_IN_SALT)["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        return cls.objects.filter(pk=pk).select_related("event", "supporter").first()

    def check_in_url(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("events:check_in_code", args=[self.event.slug, self.check_in_code()])
        return settings.SITE_URL + path

    @property
    def has_entry_code(self) -> bool:
        """A seat at an event with a door: the registrant gets a QR code to show there."""
        return self.has_seat and self.event.has_place

    def check_in(self, by: Any = None, now: datetime | None = None) -> bool:
        """Mark the person arrived; False when they were already (or hold no seat)."""
        done = Registration.objects.filter(
            pk=self.pk, checked_in_at__isnull=True, status=self.Status.CONFIRMED
        ).update(
            checked_in_at=now or timezone.now(),
            checked_in_by=by if getattr(by, "pk", None) else None,
        )
        self.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
        return bool(done)

    def undo_check_in(self) -> bool:
        """A check-in made by mistake is taken back; False when there was none."""
        done = Registration.objects.filter(pk=self.pk, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
        self.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
        return bool(done)


class ReminderSent(models.Model):
    """That one reminder went to one registrant for one start time: written in the transaction
    that queues the mail, so the unique constraint makes each reminder go exactly once. When the
    event moves, the new start time needs its own reminders."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="reminders")
    minutes_before = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "minutes_before", "starts_at"],
                name="events_one_reminder_per_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes_before} min before {self.starts_at:%Y-%m-%d %H:%M}"

    @classmethod
    def claim(cls, registration: Registration, minutes_before: int, starts_at: datetime) -> bool:
        """Write the row; False if this reminder was already sent (by us or another worker)."""
        try:
            with transaction.atomic():
                cls.objects.create(
                    registration=registration, minutes_before=minutes_before, starts_at=starts_at
                )
        except IntegrityError:
            return False
        return True
