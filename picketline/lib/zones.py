"""The IANA time zones this machine knows."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import available_timezones


@cache
def known_time_zones() -> frozenset[str]:
    """``zoneinfo.available_timezones()``, read once per process: it walks the zone database
    on disk at every call, which cost a registration form several milliseconds."""
    return frozenset(available_timezones())


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """Country code → the zones its clocks follow, from the time zone database's
    ``zone1970.tab`` (the ``tzdata`` package, else the system's zone directory); empty when
    neither has it."""
    text = ""
    try:
        text = (resources.files("tzdata") / "zoneinfo" / "zone1970.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for directory in zoneinfo.TZPATH:
            path = Path(directory) / "zone1970.tab"
            if path.is_file():
                text = path.read_text("utf-8")
                break
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        codes, _coordinates, zone, *_comment = line.split("\t")
        for code in codes.split(","):
            found.setdefault(code, []).append(zone)
    return {code: tuple(zones) for code, zones in found.items()}


def zones_of_country(code: str) -> tuple[str, ...]:
    """The IANA zones in use in the country ``code`` (ISO 3166-1 alpha-2), west to east not
    guaranteed; empty for a code the database does not know."""
    return tuple(
        zone for zone in _zones_by_country().get(code.upper(), ()) if zone in known_time_zones()
    )


REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
           "Pacific")  # fmt: skip


def places_zones() -> tuple[str, ...]:
    """``UTC`` and every zone named after a place (``Europe/Amsterdam``), sorted: what a person
    picks their own clocks from, without legacy names such as ``CET`` or ``Etc/GMT-3`` (whose
    sign is the reverse of what it seems)."""
    named = (zone for zone in known_time_zones() if zone.split("/", 1)[0] in REGIONS)
    return ("UTC", *sorted(named))


def latest_date_in(zones: tuple[str, ...], now: datetime) -> date:
    """The date it is at ``now`` where it is latest among ``zones``: a day that has begun
    anywhere in them."""
    return max(now.astimezone(zoneinfo.ZoneInfo(zone)).date() for zone in zones)
