"""Moving the 2024 demo campaign to now.

The campaign ran from 19 March to April 2024 with its Day of Action on Friday 19 April 2024.
The demo shifts every date by a whole number of weeks, so weekdays and wall-clock times stay as
they were, choosing the smallest shift that puts the Day of Action ahead of today while the
campaign has already started.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ORIGINAL_CAMPAIGN_START = date(2024, 3, 19)
ORIGINAL_DAY_OF_ACTION = date(2024, 4, 19)


@dataclass(frozen=True)
class DemoDates:
    offset: timedelta

    @classmethod
    def original(cls) -> DemoDates:
        return cls(timedelta(0))

    @classmethod
    def running_on(cls, today: date) -> DemoDates:
        """The shift that makes the campaign run on ``today`` with the Day of Action ahead."""
        days_behind = (today - ORIGINAL_DAY_OF_ACTION).days
        weeks = max(0, math.floor(days_behind / 7) + 1)
        return cls(timedelta(weeks=weeks))

    def day(self, original: date) -> date:
        return original + self.offset

    def moment(self, original: datetime) -> datetime:
        """Shift an aware datetime keeping its local wall-clock time in its own zone."""
        tz = original.tzinfo
        if tz is None:
            raise ValueError("demo datetimes must be aware")
        naive = original.replace(tzinfo=None) + self.offset
        return naive.replace(tzinfo=tz)
