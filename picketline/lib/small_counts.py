"""Counts shown to people who could tell a person apart by them.

A number of people below ``SMALLEST_SHOWN`` (an event's three registrants, the one video that
came through a partner's embed) lets whoever knows one of them learn what that person did: such
a number is published as "fewer than ``SMALLEST_SHOWN``", never as itself.
"""

from __future__ import annotations

SMALLEST_SHOWN = 5


def shown_count(count: int) -> int | None:
    """``count`` if it is large enough to publish, else None ("fewer than SMALLEST_SHOWN")."""
    return count if count >= SMALLEST_SHOWN else None
