"""iCalendar files and add-to-calendar links for events.

One UID per event, so a calendar that imported the first file replaces the event when an update
with a higher SEQUENCE arrives (the organiser moved it). Times are written as UTC instants: every
calendar program shows them in its owner's zone, with no VTIMEZONE to get wrong.
The join link goes only into files made for a registrant (``private_note``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from picketline.events.models import Event

PRODID = "-//Picketline//Events//EN"


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "picketline.invalid"
    return f"event-{event.pk}@{host}"


def public_url(event: Event) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def ics_bytes(
    event: Event,
    *,
    private_note: str = "",
    cancelled: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The event as a one-event calendar. ``private_note`` (join link, personal page) is added
    to the description only in files sent to a registrant."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    item = VEvent()
    item.add("uid", event_uid(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    item.add("summary", event.title)
    description = "\n\n".join(p for p in (event.description, private_note, public_url(event)) if p)
    item.add("description", description)
    item.add("url", public_url(event))
    location = event.location_text()
    if location:
        item.add("location", location)
    if event.has_coordinates:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event: Event) -> str:
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{_utc_stamp(event.starts_at)}/{_utc_stamp(event.ends_at)}",
            "details": public_url(event),
            "location": event.location_text(),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_calendar_url(event: Event) -> str:
    query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": event.starts_at.astimezone(UTC).isoformat(),
            "enddt": event.ends_at.astimezone(UTC).isoformat(),
            "body": public_url(event),
            "location": event.location_text(),
        }
    )
    return f"https://outlook.live.com/calendar/0/action/compose?{query}"
