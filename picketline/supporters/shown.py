"""What the privacy page shows of an action's personal data: the same values as the download,
written for a person (field names as labels, dates in the reader's format, lists as text,
choices and countries by name, a list of records as one line per record)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from picketline.web.countries import country_name

ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


def shown_value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(None, item) for item in value) or "—"
    if isinstance(value, str) and ISO_MOMENT.match(value):
        moment = datetime.fromisoformat(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and (field.name == "country" or field.name.endswith("_country")):
        return country_name(str(value))
    return str(value)


def shown_record(record: dict[str, Any], labels: dict[str, Any]) -> str:
    """A record of its own (a host's message) as "Label: value; Label: value"."""
    return "; ".join(
        f"{capfirst(str(labels.get(key, key)))}: {shown_value(None, value)}"
        for key, value in record.items()
    )


def shown_data(action: models.Model, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each entry of ``action.personal_data()``, in the active language; a
    list of records gives a row per record, its parts named by ``personal_data_labels`` too."""
    fields = {
        field.name: field
        for field in action._meta.get_fields()
        if isinstance(field, models.Field) and field.verbose_name
    }
    by_label = {str(field.verbose_name): field for field in fields.values()}
    labels = getattr(action, "personal_data_labels", {})
    rows = []
    for key, value in data.items():
        field = fields.get(key) or by_label.get(key)
        label = capfirst(str(labels.get(key) or (field.verbose_name if field is not None else key)))
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            rows.extend((label, shown_record(item, labels)) for item in value)
        else:
            rows.append((label, shown_value(field, value)))
    return rows
