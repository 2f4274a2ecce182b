"""Dates and times as a reader reads them: in the reader's language, and a moment always read
on the clocks of a zone that is named beside it.

Django's ``date`` filter turns an aware date-time into the *current* zone (the site's, UTC,
but on the organisers' pages and in their mail each staff member's own) before formatting
it, so ``{{ event.local_start|date:… }}`` showed UTC digits next to the event's zone.
Everything here takes the zone as an argument and names it, in the reader's language where
CLDR (Babel) has a name: "Brussels time, UTC+1", "время: Брюссель, UTC+1".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton, get_timezone_location
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Django's own date formats are uneven across our languages (English writes "Dec. 11, 2026,
# 9:30 a.m.", Russian adds "г." and drops the hour's zero); a campaign across Europe reads
# 24-hour times and day-month-year.
DAY_FORMATS = {"en": "j F Y", "de": "j. F Y", "ru": "j E Y", "be": "j E Y"}
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu"})


def _language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def as_zone(zone: tzinfo | str | None) -> tzinfo:
    """A zone from its name; for None or "" the reader's: the current zone, which is the
    site's unless a staff member's own is active (``accounts.preferences``); the site's for a
    name no database knows."""
    if isinstance(zone, tzinfo):
        return zone
    if not zone:
        return timezone.get_current_timezone()
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def day_text(day: date) -> str:
    """``11 December 2026``, ``11 декабря 2026``: a day (of a date-time already in its zone)."""
    return formats.date_format(day, DAY_FORMATS.get(_language(), "DATE_FORMAT"))


def month_text(day: date) -> str:
    """``July 2024``, ``июль 2024 г.``, ``ліпень 2024``: a month, for dates known to the month.
    CLDR's stand-alone month name (Django's ``F`` is capitalised or in the genitive in Russian
    and Belarusian)."""
    return format_skeleton("yMMMM", day, locale=_language())


def offset_text(offset: timedelta) -> str:
    """``+1``, ``+5:30``, ``-3``."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{minutes:02d}" if minutes else f"{sign}{hours}"


def zone_text(zone: tzinfo | str | None, moment: datetime) -> str:
    """The zone as the reader says it, with its offset at ``moment``: "Brussels time, UTC+1";
    plain "UTC" for UTC."""
    zone = as_zone(zone)
    key = getattr(zone, "key", "")
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    if not key or key in UTC_NAMES:
        return "UTC" if not offset else f"UTC{offset_text(offset)}"
    city = get_timezone_location(zone, locale=_language(), return_city=True)
    return _("%(city)s time, UTC%(offset)s") % {"city": city, "offset": offset_text(offset)}


def moment_text(moment: datetime | None, zone: tzinfo | str | None = None) -> str:
    """``11 December 2026, 09:30 (Brussels time, UTC+1)``: a moment on the clocks of ``zone``
    (the reader's when None: see ``as_zone``), the zone named."""
    if moment is None:
        return ""
    zone = as_zone(zone)
    local = moment.astimezone(zone)
    return f"{day_text(local)}, {local:%H:%M} ({zone_text(zone, local)})"
