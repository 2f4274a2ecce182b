"""The events app's models, one module per topic."""

from picketline.events.models.event import (
    COUNTRY_CODE,
    Event,
    EventQuerySet,
    validate_language_codes,
    validate_reminder_minutes,
    validate_time_zone,
)
from picketline.events.models.hosted import (
    HostedAction,
    HostedReport,
    HostMessage,
    ReportPhoto,
)
from picketline.events.models.registration import Registration, ReminderSent

__all__ = [
    "COUNTRY_CODE",
    "Event",
    "EventQuerySet",
    "HostedAction",
    "HostedReport",
    "HostMessage",
    "Registration",
    "ReminderSent",
    "ReportPhoto",
    "validate_language_codes",
    "validate_reminder_minutes",
    "validate_time_zone",
]
