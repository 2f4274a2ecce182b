"""Times as an organiser means them: the wall-clock time of the event's own zone.

Django's forms read and show a date-time in the *current* time zone (UTC on this site), so an
organiser who typed 09:30 for a meeting in Brussels got 09:30 UTC, an hour or two off.
``LocalTimesForm`` shows the stored instants in the zone the object names, and reads what is
typed as that zone's wall clock. A time the zone skips (clocks go forward) or passes twice
(clocks go back) is refused with a message that says so, rather than guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from picketline.lib.zones import known_time_zones


def local_text(moment: datetime | None, zone_name: str) -> str:
    """``2030-04-19 09:30 (Europe/Brussels)``: for lists an organiser reads."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} (UTC)"
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def local_span(obj: object) -> str:
    """Start and end of an object with ``starts_at``, ``ends_at`` and ``time_zone``, as the
    place's clocks show them (also for staff who may only look, whose form shows no fields)."""
    if getattr(obj, "pk", None) is None:
        return ""
    start = local_text(obj.starts_at, obj.time_zone)
    end = local_text(obj.ends_at, obj.time_zone)
    return f"{start} – {end}"


def _name_the_parts(field: forms.Field) -> None:
    """The admin types a date-time in two boxes, a date and a time, that no label names: each
    is named for screen readers ("Starts (Europe/Brussels time): date")."""
    widget = field.widget
    if isinstance(widget, forms.MultiWidget) and len(widget.widgets) == 2:
        date_box, time_box = widget.widgets
        date_box.attrs["aria-label"] = _("%(label)s: date") % {"label": field.label}
        time_box.attrs["aria-label"] = _("%(label)s: time") % {"label": field.label}


class AmbiguousOrMissingTime(ValueError):
    pass


def localise(wall_clock: datetime, zone: ZoneInfo) -> datetime:
    """The instant at which clocks in ``zone`` show ``wall_clock`` (naive). Raises
    ``AmbiguousOrMissingTime`` when they never show it or show it twice."""
    earlier = wall_clock.replace(tzinfo=zone, fold=0)
    later = wall_clock.replace(tzinfo=zone, fold=1)
    round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != wall_clock:
        raise AmbiguousOrMissingTime("missing")
    if earlier.utcoffset() != later.utcoffset():
        raise AmbiguousOrMissingTime("ambiguous")
    return earlier


class LocalTimesForm(forms.ModelForm):
    """A model form whose ``local_fields`` are shown and typed in the zone of the model's
    ``time_zone`` field (the one posted with the form, else the stored one)."""

    local_fields: tuple[str, ...] = ()
    zone_field = "time_zone"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone_name = getattr(self.instance, self.zone_field, "") if self.instance.pk else ""
        for name in self.local_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            if zone_name:
                field.label = _("%(label)s (%(zone)s time)") % {
                    "label": field.label,
                    "zone": zone_name,
                }
            field.help_text = _(
                "The local time of the place, in the time zone given below (not UTC)."
            )
            _name_the_parts(field)
            stored = self.initial.get(name)
            if isinstance(stored, datetime) and zone_name:
                # Shown naive, as the wall clock of the event's zone (Django shows an aware
                # value in the current zone, UTC).
                self.initial[name] = stored.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)

    def clean(self) -> dict:
        data = super().clean()
        zone_name = data.get(self.zone_field)
        if not zone_name or zone_name not in known_time_zones():
            # The zone field's own validator says which zone is unknown.
            return data
        zone = ZoneInfo(zone_name)
        for name in self.local_fields:
            value = data.get(name)
            if not isinstance(value, datetime):
                continue
            # The field read the typed digits as the current zone's (UTC) wall clock: take
            # the digits back and read them as the event's.
            wall_clock = timezone.make_naive(value)
            try:
                data[name] = localise(wall_clock, zone)
            except AmbiguousOrMissingTime as problem:
                params = {"time": f"{wall_clock:%Y-%m-%d %H:%M}", "zone": zone.key}
                if str(problem) == "missing":
                    message = _(
                        "%(time)s does not exist in %(zone)s: the clocks skip that hour. "
                        "Please give a time before or after it."
                    )
                else:
                    message = _(
                        "%(time)s happens twice in %(zone)s: the clocks go back that night. "
                        "Please give a time outside that hour."
                    )
                self.add_error(name, forms.ValidationError(message, params=params))
        return data
