"""Checks on what visitors type, shared by every public form.

A name or title ends up in e-mail headers, CSV cells and log lines, where a line break or a NUL
does harm (a forged header, a broken row, a forged log line); PostgreSQL cannot store NUL at
all. One-line fields therefore refuse every control character, and longer texts all but tab and
line breaks. Dates are kept to years the campaign can mean: a year-1 date is not a typo we can
store, since it cannot be moved into every time zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from picketline.lib.zones import known_time_zones

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
ONE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def one_line(value: str) -> None:
    if ONE_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("Please write this on one line, without control characters."),
            code="control_characters",
        )


def plain_text(value: str) -> None:
    if TEXT_FORBIDDEN.search(value):
        raise ValidationError(
            _("Please remove the control characters from this text."), code="control_characters"
        )


def refuse_control_characters(fields: Mapping[str, forms.Field]) -> None:
    """Give every text field of a form instance the check that fits its widget."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            multi_line = isinstance(field.widget, forms.Textarea)
            field.validators.append(plain_text if multi_line else one_line)


def sane_date(value: date) -> None:
    """A date or date-time from 2000 to 2100."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Please give a date between the years %(first)d and %(last)d."),
            code="date_out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )


def validate_time_zone(value: str) -> None:
    """An IANA zone this machine knows (``Europe/Berlin``)."""
    if value not in known_time_zones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})
