"""The target directory as CSV: export everything, import all-or-nothing with errors by line.

A row is found again by its name and country, so importing an edited export updates the targets
in place. E-mail addresses are separated by ``;``, sources by line breaks (inside the quoted cell).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from picketline.letters.models import Target, TargetAddress
from picketline.lib.csv_cells import CsvDictWriter, restore_cell

COLUMNS = [
    "name",
    "organisation",
    "role",
    "country",
    "languages",
    "emails",
    "postal_address",
    "time_zone",
    "active",
    "is_demo",
    "sources",
    "notes",
]
REQUIRED = {"name", "role", "country"}
TRUE = {"1", "true", "yes", "y", "x"}
FALSE = {"0", "false", "no", "n", ""}


def export_targets(targets: Iterable[Target]) -> str:
    out = io.StringIO()
    writer = CsvDictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for target in targets:
        writer.writerow(
            {
                "name": target.name,
                "organisation": target.organisation,
                "role": target.role,
                "country": target.country,
                "languages": target.languages,
                "emails": "; ".join(a.email for a in target.addresses.all()),
                "postal_address": target.postal_address,
                "time_zone": target.time_zone,
                "active": "yes" if target.active else "no",
                "is_demo": "yes" if target.is_demo else "no",
                "sources": target.sources,
                "notes": target.notes,
            }
        )
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _bool(value: str) -> bool:
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


def import_targets(text: str) -> ImportResult:
    """Check every row; save all of them in one transaction only when none has an error."""
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = REQUIRED - set(reader.fieldnames or [])
    if missing:
        result.errors.append((1, _("Missing columns: %s") % ", ".join(sorted(missing))))
        return result
    unknown = set(reader.fieldnames or []) - set(COLUMNS)
    if unknown:
        result.errors.append((1, _("Unknown columns: %s") % ", ".join(sorted(unknown))))
        return result

    planned: list[tuple[Target, list[str]]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        values = {key: restore_cell((value or "").strip()) for key, value in row.items() if key}
        key = (values.get("name", ""), values.get("country", "").upper())
        if key in seen:
            result.errors.append(
                (line, _("Same name and country as line %(line)s.") % {"line": seen[key]})
            )
            continue
        seen[key] = line
        try:
            planned.append(_plan_row(values))
        except ValidationError as exc:
            result.errors.append((line, _messages(exc)))
    if result.errors:
        return result

    with transaction.atomic():
        for target, emails in planned:
            if target.pk:
                result.updated += 1
            else:
                result.created += 1
            target.save()
            target.addresses.exclude(email__in=emails).delete()
            for email in emails:
                TargetAddress.objects.get_or_create(target=target, email=email)
    return result


def _plan_row(values: dict[str, str]) -> tuple[Target, list[str]]:
    country = values.get("country", "").upper()
    target = Target.objects.filter(name=values.get("name", ""), country=country).first() or Target(
        name=values.get("name", ""), country=country
    )
    for name in ("organisation", "role", "languages", "postal_address", "sources", "notes"):
        if name in values:
            setattr(target, name, values[name])
    if values.get("time_zone"):
        target.time_zone = values["time_zone"]
    errors: dict[str, list[str]] = {}
    for name in ("active", "is_demo"):
        if name in values:
            try:
                setattr(target, name, _bool(values[name]) if values[name] else name == "active")
            except ValidationError as exc:
                errors[name] = exc.messages
    emails = [e.strip() for e in values.get("emails", "").replace(",", ";").split(";") if e.strip()]
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("emails", []).append(
                _("“%(email)s” is not an e-mail address.") % {"email": email}
            )
    try:
        target.full_clean(validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return target, emails
