"""Events built in code for the tests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from picketline.events.models import Event

BERLIN = ZoneInfo("Europe/Berlin")
BRUSSELS = ZoneInfo("Europe/Brussels")
JOIN_URL = "https://meet.example.net/secret-room-4711"


def street_action(**overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "slug": "berlin",
        "kind": Event.Kind.IN_PERSON,
        "title_en": "Protest in Berlin",
        "title_de": "Protest in Berlin (de)",
        "description_en": "Stand with the jailed unionists.",
        "starts_at": datetime(2030, 4, 19, 12, 30, tzinfo=BERLIN),
        "ends_at": datetime(2030, 4, 19, 13, 30, tzinfo=BERLIN),
        "time_zone": "Europe/Berlin",
        "venue_name_en": "Pariser Platz",
        "address": "Pariser Platz\n10117 Berlin",
        "country": "DE",
        "latitude": Decimal("52.5163"),
        "longitude": Decimal("13.3789"),
        "registration_required": False,
        "broadcast_url": "https://stream.example.com/live",
        "broadcast_embed_url": "https://player.example.com/embed/live",
        "published": True,
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def online_meeting(**overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "slug": "meeting",
        "kind": Event.Kind.ONLINE,
        "title_en": "Online meeting",
        "title_ru": "Онлайн-встреча",
        "description_en": "Unions meet online.",
        "starts_at": datetime(2030, 4, 19, 9, 30, tzinfo=BRUSSELS),
        "ends_at": datetime(2030, 4, 19, 11, 0, tzinfo=BRUSSELS),
        "time_zone": "Europe/Brussels",
        "languages": "en,ru",
        "interpretation_en": "English and Russian",
        "capacity": 50,
        "join_url": JOIN_URL,
        "published": True,
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def messages_to(address: str, kind: str | None = None) -> list:
    """Outbox messages to one address (optionally of one kind), oldest first, written as the
    worker writes them (a confirmation mail is composed when it is sent)."""
    from picketline.mail.models import OutgoingMessage

    found = [
        m
        for m in OutgoingMessage.objects.order_by("created_at", "pk")
        if address in m.recipients() and (kind is None or m.kind == kind)
    ]
    OutgoingMessage.look_up_to_compose(found)
    return [m for m in found if m.compose()]


def link_in(message, path_part: str) -> str:
    """The path of the first link in the message whose path contains ``path_part``."""
    import re

    for url in re.findall(r"https?://\S+", message.body_text):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        if path_part in path:
            return path
    raise AssertionError(f"no link with {path_part!r} in: {message.body_text}")


def registration_for(event: Event, email: str, **fields: Any):
    """A registration as the form makes it, not yet confirmed."""
    from picketline.events.models import Registration
    from picketline.supporters.models import Supporter

    supporter, _ = Supporter.get_or_create_for_email(email, name=email.split("@")[0])
    fields.setdefault("language", "en")
    return Registration.objects.create(event=event, supporter=supporter, **fields)


def confirmed_registration(event: Event, email: str, **fields: Any):
    registration = registration_for(event, email, **fields)
    registration.confirm()
    registration.refresh_from_db()
    return registration


def hosted_action(*, host_email: str | None = "host@example.org", **fields: Any):
    """A supporter-held action as its form stores it, not confirmed (``host_email=None``: one
    whose host is gone)."""
    from picketline.events.models import HostedAction
    from picketline.supporters.models import Supporter

    supporter = None
    if host_email is not None:
        supporter, _ = Supporter.get_or_create_for_email(host_email, name="Host")
    values: dict[str, Any] = {
        "supporter": supporter,
        "language": "en",
        "title": "Vigil at the embassy",
        "country": "LT",
        "city": "Vilnius",
        "place": "At the embassy",
        "starts_at": datetime(2024, 4, 19, 10, tzinfo=ZoneInfo("UTC")),
        "ends_at": datetime(2024, 4, 19, 11, tzinfo=ZoneInfo("UTC")),
        "time_zone": "Europe/Vilnius",
        "expected_size": 10,
        "contact": "+370 600 00000",
    }
    return HostedAction.objects.create(**(values | fields))
