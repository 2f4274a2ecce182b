"""How an event's time is written: in the event's own zone, with the zone named, and marked up
so that the browser (static/events/events.js) can add the visitor's own time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats

from picketline.events.models import Event
from picketline.web.moments import day_text, zone_text

register = template.Library()


def when_text(event: Event, zone: ZoneInfo | None = None) -> str:
    """The event's time in ``zone`` (its own zone by default), naming the zone."""
    zone = zone or event.zone
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    weekday = formats.date_format(start, "l")
    day = day_text(start)
    start_time, end_time = start.strftime("%H:%M"), end.strftime("%H:%M")
    if start.date() == end.date():
        span = f"{start_time}–{end_time}"
    else:
        span = f"{start_time} – {day_text(end)} {end_time}"
    return f"{weekday}, {day}, {span} ({zone_text(zone, start)})"


@register.inclusion_tag("events/includes/when.html")
def event_when(event: Event) -> dict[str, object]:
    return {
        "text": when_text(event),
        "starts_utc": event.starts_at.astimezone(UTC).isoformat(),
        "ends_utc": event.ends_at.astimezone(UTC).isoformat(),
        "time_zone": event.time_zone,
    }


@register.filter
def time_in(moment: datetime | None, zone_name: str) -> str:
    """``09:41``: a moment as the clocks of the event's zone show it."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone_name)).strftime("%H:%M")
