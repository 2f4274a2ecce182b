from datetime import datetime

from django import template

from picketline.web.moments import moment_text, zone_text

register = template.Library()


@register.filter
def in_zone(moment: datetime | None, zone: str | None = None) -> str:
    """``{{ action.starts_at|in_zone:action.time_zone }}``: the moment on the clocks of that
    zone, the zone named (``{{ consent.given_at|in_zone }}``: the reader's zone, named)."""
    return moment_text(moment, zone)


@register.filter
def zone_at(moment: datetime | None, zone: str | None = None) -> str:
    """``{{ entry.starts|zone_at:campaign.time_zone }}``: that zone named as the reader says
    it, with its offset at the moment ("Brussels time, UTC+2")."""
    return zone_text(zone, moment) if moment is not None else ""
