"""The door of an event: find a registrant by name, or read the QR code they show, and mark
them arrived (or take it back).

Names are encrypted at rest, so the database cannot search them: ``search`` reads the seated
registrants of one event and compares the decrypted names in Python. That is one query and a
decryption per seat, a few milliseconds for the hundreds an event holds; it would not do for a
whole campaign's supporters, and it is not used for that.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import segno

from picketline.events.models import Event, Registration

SEARCH_LIMIT = 30


def folded(text: str) -> str:
    """Lower case without accents: "ales" finds "Aleś", "zelenko" finds "Zélenko"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(event: Event, query: str) -> list[Registration]:
    """Registrants with a seat whose name holds every word of ``query``, by seat."""
    words = folded(query).split()
    if not words:
        return []
    seated = (
        event.registrations.attending()
        .filter(supporter__isnull=False)
        .select_related("supporter", "checked_in_by")
        .order_by("seat", "pk")
    )
    found = []
    for registration in seated:
        name = folded(registration.supporter.name)
        if all(word in name for word in words):
            found.append(registration)
            if len(found) == SEARCH_LIMIT:
                break
    return found


@dataclass(frozen=True)
class Outcome:
    """What the door is told after a code was scanned or typed."""

    kind: str  # checked_in, already, other_event, no_seat, unknown
    registration: Registration | None = None

    @property
    def accepted(self) -> bool:
        return self.kind in ("checked_in", "already")


def scan(event: Event, code: str, by: object, now: datetime | None = None) -> Outcome:
    registration = Registration.from_check_in_code(code)
    if registration is None or registration.supporter_id is None:
        return Outcome("unknown")
    if registration.event_id != event.pk:
        return Outcome("other_event", registration)
    if registration.status != Registration.Status.CONFIRMED:
        return Outcome("no_seat", registration)
    if registration.check_in(by=by, now=now):
        return Outcome("checked_in", registration)
    return Outcome("already", registration)


def code_from_scanned_text(text: str) -> str:
    """A phone's scanner reads the whole URL; the door needs the code at its end."""
    marker = "/check-in/code/"
    text = text.strip()
    if marker in text:
        text = text.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0]
    return text


def qr_png_data_uri(registration: Registration) -> str:
    """A PNG, not an SVG: Tor Browser's safest mode shows no SVG, and the code is what lets its
    holder in at the door."""
    return segno.make(registration.check_in_url(), error="m").png_data_uri(
        scale=5, dark="#000", light="#fff", border=4
    )


def qr_png(registration: Registration) -> bytes:
    out = io.BytesIO()
    segno.make(registration.check_in_url(), error="m").save(
        out, kind="png", scale=8, dark="#000", light="#fff", border=4
    )
    return out.getvalue()
