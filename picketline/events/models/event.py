"""Events: the online meeting, the street action, and actions supporters hold themselves.

Every time is stored as an instant (UTC) together with the IANA zone the organiser means, so a
page can say "12:30 in Berlin" and the visitor's browser can add "13:30 where you are".
The join address of an online meeting is private: it only ever goes to registrants.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from picketline.web.content import PublicContent, content_changed, kept_until_edited
from picketline.web.validators import validate_time_zone

if TYPE_CHECKING:
    from picketline.events.models.registration import Registration


def validate_language_codes(value: str) -> None:
    for code in split_codes(value):
        if code not in LANG_INFO:
            raise ValidationError(_("Unknown language code: %(code)s"), params={"code": code})


MAX_REMINDER_OFFSET = timedelta(days=31)


def validate_reminder_minutes(value: str) -> None:
    for part in split_codes(value):
        if not part.isdigit() or not 0 < int(part) <= MAX_REMINDER_OFFSET.total_seconds() // 60:
            raise ValidationError(
                _(
                    "Give whole minutes before the start (at most 31 days), separated by "
                    "commas, e.g. 1440,60."
                )
            )


def split_codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


COUNTRY_CODE = RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166), e.g. DE."))


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(published=True)

    def listed(self) -> EventQuerySet:
        """Published, and no action supporters hold in a country marked as dangerous: the
        proposal form says we list none there, also once the country is marked later."""
        from picketline.supporters.models import DangerousCountry

        return self.published().exclude(
            hosted_action__isnull=False, country__in=DangerousCountry.objects.codes()
        )

    def upcoming(self, now: datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())


class Event(PublicContent):
    class Kind(models.TextChoices):
        ONLINE = "online", _("online")
        IN_PERSON = "in_person", _("in person")
        HYBRID = "hybrid", _("hybrid")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IN_PERSON)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("campaign"),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(
        pgettext_lazy("the name of a thing, not a heading", "title"), max_length=200
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text; an empty line starts a paragraph.")
    )

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_time_zone],
        help_text=_("The zone the times are meant in (IANA name), e.g. Europe/Berlin."),
    )

    languages = models.CharField(
        _("languages"),
        max_length=60,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Language codes spoken at the event, separated by commas, e.g. en,ru."),
    )
    interpretation = models.CharField(
        _("interpretation"),
        max_length=200,
        blank=True,
        help_text=_("Interpretation offered, e.g. English ↔ Russian. Empty when there is none."),
    )

    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[COUNTRY_CODE])
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    registration_required = models.BooleanField(_("registration required"), default=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty means registration stays open until the event starts."),
    )
    reminder_minutes = models.CharField(
        _("reminders"),
        max_length=60,
        default="1440,60",
        blank=True,
        validators=[validate_reminder_minutes],
        help_text=_("Minutes before the start at which registrants are reminded, e.g. 1440,60."),
    )

    broadcast_url = models.URLField(
        _("live broadcast"), blank=True, help_text=_("Public address of the live stream.")
    )
    broadcast_embed_url = models.URLField(
        _("broadcast player"),
        blank=True,
        help_text=_(
            "Address of the embeddable player. It is loaded only after the visitor clicks."
        ),
    )
    recording_url = models.URLField(_("recording"), blank=True)
    join_url = models.URLField(
        _("join link"),
        blank=True,
        help_text=_("Private: sent only to registrants with a seat, never shown on a public page."),
    )

    published = models.BooleanField(_("published"), default=False)
    # iCalendar SEQUENCE: raised whenever the time or place changes, so calendars update.
    sequence = models.PositiveIntegerField(
        _("calendar version"),
        default=0,
        editable=False,
        help_text=_("Counts the changes calendars were told about."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.latitude is not None and not (-90 <= self.latitude <= 90):
            raise ValidationError({"latitude": _("Latitude lies between -90 and 90.")})
        if self.longitude is not None and not (-180 <= self.longitude <= 180):
            raise ValidationError({"longitude": _("Longitude lies between -180 and 180.")})

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    # Fields whose change the registrants must hear about (and their calendars must follow).
    SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "venue_name", "address", "kind")

    # Time -----------------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @classmethod
    def published_for_form(cls, slug: str) -> Event:
        """The listed event, as its page and registration form need it on every request
        (``kept_until_edited``), without its private join link. DoesNotExist when no such
        event is published, or when the list hides it (``EventQuerySet.listed``): its page
        would tell anyone with its address where and when supporters gather."""
        return kept_until_edited(
            f"events:event:{slug}",
            lambda: cls.objects.listed().defer("join_url").get(slug=slug),
        )

    def is_listed(self) -> bool:
        """As ``EventQuerySet.listed``, for this event: only an event in a country marked as
        dangerous asks the database whether supporters hold it (the marked countries are kept)."""
        from picketline.supporters.models import DangerousCountry

        if not self.published:
            return False
        if self.country not in DangerousCountry.objects.codes():
            return True
        return not Event.objects.filter(pk=self.pk, hosted_action__isnull=False).exists()

    def registration_state(self, now: datetime | None = None) -> str:
        """One of: not_required, not_yet_open, open, closed."""
        now = now or timezone.now()
        if not self.registration_required:
            return "not_required"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet_open"
        closes = self.registration_closes_at or self.starts_at
        if now >= min(closes, self.ends_at):
            return "closed"
        return "open"

    def reminder_offsets(self) -> list[timedelta]:
        return sorted(
            (timedelta(minutes=int(m)) for m in split_codes(self.reminder_minutes)), reverse=True
        )

    # Place ----------------------------------------------------------------------------------
    @property
    def is_online(self) -> bool:
        return self.kind in (self.Kind.ONLINE, self.Kind.HYBRID)

    @property
    def has_place(self) -> bool:
        return self.kind in (self.Kind.IN_PERSON, self.Kind.HYBRID)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def osm_url(self) -> str:
        """A plain link to the place on openstreetmap.org (nothing is loaded from there)."""
        if not self.has_coordinates:
            return ""
        lat, lon = _coord(self.latitude), _coord(self.longitude)
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    def coordinates_text(self) -> str:
        if not self.has_coordinates:
            return ""
        lat, lon = Decimal(self.latitude), Decimal(self.longitude)
        north_south = "N" if lat >= 0 else "S"
        east_west = "E" if lon >= 0 else "W"
        return f"{abs(lat):.4f}° {north_south}, {abs(lon):.4f}° {east_west}"

    def location_text(self) -> str:
        lines = [" ".join(line.split()) for line in self.address.splitlines()]
        parts = [self.venue_name, *lines]
        return ", ".join(p for p in parts if p)

    # Languages ------------------------------------------------------------------------------
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)

    def language_names(self) -> list[str]:
        from django.utils.translation import gettext

        return [gettext(LANG_INFO[code]["name"]) for code in self.language_codes()]

    # Broadcast ------------------------------------------------------------------------------
    def broadcast_origin(self) -> str:
        """The origin the click-to-load player needs in the page's frame-src."""
        from urllib.parse import urlsplit

        if not self.broadcast_embed_url:
            return ""
        parts = urlsplit(self.broadcast_embed_url)
        return f"{parts.scheme}://{parts.netloc}"

    # Seats ----------------------------------------------------------------------------------
    # Every method below expects the caller to hold the lock on this event's row
    # (``Event.objects.select_for_update(no_key=True)``) inside a transaction. "No key": a
    # registration being stored meanwhile checks its reference to the event, and must not wait.

    def free_seats(self) -> int | None:
        """Seats nobody holds (None: no limit)."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.registrations.holding_seats().count())

    def _seats_question(self) -> tuple[int | None, int | None]:
        """In one statement: the number of the next seat given, or None when every seat is
        held; and, when a seat is free, the key of the first registration waiting (or None).

        With a limit, a seat is free while fewer than ``capacity`` are held, and its number is
        the lowest nobody holds (a freed seat is given again). Without one the numbers only
        name the seats: the one after the highest. The held seats are read from the index on
        (event, seat) (``events_one_registration_per_seat``), never a row of them into
        Python: without a limit only the highest; with one their count, lowest and highest,
        and only when a number between those is free, a walk up to the first gap."""
        from django.db import connection

        from picketline.events.models.registration import Registration

        meta = Registration._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        event, seat, status, waitlisted_at, pk = (
            quote(meta.get_field(name).column)
            for name in ("event", "seat", "status", "waitlisted_at", "id")
        )
        held = f"FROM {table} WHERE {event} = %(event)s AND {seat} IS NOT NULL"
        # The seat is worked out in a subquery of its own (its LIMIT keeps PostgreSQL from
        # copying it into the outer query), so the waitlist is read only when a seat is free.
        sql = f"""
            SELECT free.seat, CASE WHEN free.seat IS NOT NULL THEN (
                SELECT {pk} FROM {table} WHERE {event} = %(event)s AND {status} = %(waiting)s
                ORDER BY {waitlisted_at}, {pk} LIMIT 1
            ) END
            FROM (
                SELECT CASE WHEN CAST(%(capacity)s AS INTEGER) IS NULL
                THEN COALESCE((SELECT MAX({seat}) {held}), 0) + 1
                ELSE (
                    SELECT CASE
                        WHEN held.n >= %(capacity)s THEN NULL
                        WHEN held.n = 0 OR held.lowest > 1 THEN 1
                        WHEN held.lowest = 1 AND held.highest = held.n THEN held.n + 1
                        ELSE (
                            SELECT below.{seat} + 1 FROM {table} below
                            WHERE below.{event} = %(event)s AND below.{seat} IS NOT NULL
                            AND NOT EXISTS (
                                SELECT 1 FROM {table} above
                                WHERE above.{event} = %(event)s
                                AND above.{seat} = below.{seat} + 1
                            )
                            ORDER BY below.{seat} LIMIT 1
                        )
                    END
                    FROM (
                        SELECT COUNT({seat}) AS n, MIN({seat}) AS lowest,
                        MAX({seat}) AS highest {held}
                    ) held
                ) END AS seat
                LIMIT 1
            ) free
        """
        params = {
            "event": self.pk,
            "capacity": self.capacity,
            "waiting": Registration.Status.WAITLISTED.value,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            seat_number, first_waiting = cursor.fetchone()
        return seat_number, first_waiting

    @classmethod
    def admit_registration(cls, registration: Registration, now: datetime | None = None) -> None:
        """A registrant has confirmed their address: a seat if one is free and nobody is
        waiting for it, else the end of the waitlist. The event is read once, under its lock
        (the confirm request runs this: it reads and writes as little as it can)."""
        from picketline.events import mails
        from picketline.events.models.registration import Registration

        # No savepoint of its own: an error here undoes the whole confirmation anyway.
        with transaction.atomic(savepoint=False):
            # Only what the seats and the page after confirming need (its address names the
            # event, if the list shows it: ``is_listed``), not every title and description in
            # every language.
            event = (
                cls.objects.select_for_update(no_key=True)
                .only("slug", "capacity", "starts_at", "published", "country")
                .get(pk=registration.event_id)
            )
            registration.event = event
            # Read the clock only once the lock is ours: the waitlist's order is the lock's.
            now = now or timezone.now()
            pending = Registration.objects.filter(
                pk=registration.pk, status=Registration.Status.PENDING
            )
            # A statement of its own, after the lock: one that waited for the lock would see
            # the seats as they were before it waited.
            seat, first_waiting = event._seats_question()
            if seat is not None and first_waiting is None:
                if not pending.update(
                    status=Registration.Status.CONFIRMED, seat=seat, seated_at=now
                ):
                    return
                registration.status = Registration.Status.CONFIRMED
                registration.seat, registration.seated_at = seat, now
                mails.seat_given(registration)
            else:
                if not pending.update(status=Registration.Status.WAITLISTED, waitlisted_at=now):
                    return
                registration.status = Registration.Status.WAITLISTED
                registration.waitlisted_at = now
                mails.waitlisted(registration)
                event.offer_free_seats(now)

    def offer_free_seats(self, now: datetime | None = None) -> list[Registration]:
        """Offer every free seat to the next person waiting, in order, for a limited time."""
        from picketline.events import mails
        from picketline.events.models.registration import Registration, offer_lifetime

        now = now or timezone.now()
        offered: list[Registration] = []
        if now >= self.starts_at:
            return offered
        while True:
            seat, first_waiting = self._seats_question()
            if seat is None or first_waiting is None:
                break
            Registration.objects.filter(pk=first_waiting).update(
                status=Registration.Status.OFFERED,
                seat=seat,
                offered_at=now,
                offer_expires_at=min(now + offer_lifetime(), self.starts_at),
            )
            waiting = Registration.objects.select_related("supporter").get(pk=first_waiting)
            mails.seat_offered(waiting)
            offered.append(waiting)
        return offered

    def lapse_expired_offers(self, now: datetime | None = None) -> int:
        """Offers not taken in time lapse; their seats go to the next in line."""
        from picketline.events import mails
        from picketline.events.models.registration import Registration

        now = now or timezone.now()
        with transaction.atomic():
            event = Event.objects.select_for_update(no_key=True).get(pk=self.pk)
            expired = list(
                event.registrations.select_for_update().filter(
                    status=Registration.Status.OFFERED, offer_expires_at__lte=now
                )
            )
            Registration.objects.filter(pk__in=[r.pk for r in expired]).update(
                status=Registration.Status.LAPSED, seat=None, offer_expires_at=None
            )
            for registration in expired:
                registration.refresh_from_db()
                mails.offer_lapsed(registration)
            if expired:
                event.offer_free_seats(now)
            return len(expired)

    # Changes --------------------------------------------------------------------------------
    def announce_change(self) -> int:
        """The organiser moved the event or changed its place: raise the calendar SEQUENCE and
        tell everyone registered, with the updated .ics. Reminders follow the new start by
        themselves (they are keyed by start time). Returns how many were told."""
        from picketline.events import mails

        with transaction.atomic():
            Event.objects.filter(pk=self.pk).update(sequence=models.F("sequence") + 1)
            self.refresh_from_db(fields=["sequence"])
            told = 0
            for registration in self.registrations.active().select_related("supporter"):
                if registration.supporter_id:
                    mails.event_changed(registration)
                    told += 1
            content_changed()
            return told


def _coord(value: Decimal | None) -> str:
    return format(Decimal(value).normalize(), "f") if value is not None else ""
