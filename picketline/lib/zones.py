"""The IANA time zones this machine knows."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def known_time_zones() -> frozenset[str]:
    """``zoneinfo.available_timezones()``, read once per process: it walks the zone database
    on disk at every call, which cost a registration form several milliseconds."""
    return frozenset(available_timezones())
