"""Events: the online meeting, the street action, and actions supporters hold themselves.

Every time is stored as an instant (UTC) together with the IANA zone the organiser means, so a
page can say "12:30 in Berlin" and the visitor's browser can add "13:30 where you are".
The join address of an online meeting is private: it only ever goes to registrants.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from picketline.web.content import PublicContent


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


def validate_language_codes(value: str) -> None:
    for code in split_codes(value):
        if code not in LANG_INFO:
            raise ValidationError(_("Unknown language code: %(code)s"), params={"code": code})


def validate_reminder_minutes(value: str) -> None:
    for part in split_codes(value):
        if not part.isdigit() or int(part) == 0:
            raise ValidationError(
                _("Give whole minutes before the start, separated by commas, e.g. 1440,60.")
            )


def split_codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


COUNTRY_CODE = RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166), e.g. DE."))


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(published=True)

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
    title = models.CharField(_("title"), max_length=200)
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
    sequence = models.PositiveIntegerField(default=0, editable=False)
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

    # Time -----------------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())

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
        parts = [self.venue_name, " ".join(self.address.split())]
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


def _coord(value: Decimal | None) -> str:
    return format(Decimal(value).normalize(), "f") if value is not None else ""
