"""Import and export of the registers as JSON and CSV.

A record is a plain dict (see ``person_record`` / ``company_record``); sources are given by their
links. An import is planned first (``plan_people`` / ``plan_companies``): the plan lists what is
new, which fields change from what to what, and what is unchanged, and nothing is written until
``ImportPlan.apply()``. Records are matched on ``ref``; a record absent from the file is left
alone (imports add and correct, they do not delete).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from picketline.lib.csv_cells import CsvDictWriter, restore_cell
from picketline.registers.models import (
    BusinessPartner,
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Source,
    Union,
)
from picketline.registers.unions import union_fields

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

PERSON_FIELDS = [
    "ref",
    "slug",
    "name",
    "name_belarusian",
    "name_russian",
    "other_spellings",
    "union",
    "union_note",
    "role",
    "city",
    "status",
    "status_reported_on",
    "status_precision",
    "status_text",
    "status_sources",
    "detained_on",
    "detained_precision",
    "released_on",
    "notes",
    "disputed",
    "sources",
    "events",
]
PERSON_LIST_FIELDS = {"other_spellings", "disputed", "sources", "status_sources", "events"}
EVENT_FIELDS = ["kind", "happened_on", "precision", "text", "articles", "disputed", "disputed_note", "sources"]  # fmt: skip

COMPANY_FIELDS = [
    "ref",
    "slug",
    "name",
    "name_cyrillic",
    "other_names",
    "sector",
    "ownership",
    "city",
    "sanctions_status",
    "sanctions_note",
    "sources",
    "concerns",
    "partners",
]
COMPANY_LIST_FIELDS = {"other_names", "sources", "concerns", "partners"}


def in_english(function: Callable[..., Any]) -> Callable[..., Any]:
    """Records hold the register's English text, the source of every translation, whatever
    the language of the request that exports or imports them."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            return function(*args, **kwargs)

    return wrapper


class ImportError(ValueError):  # noqa: A001 - the module's own, raised for a bad file
    pass


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _urls(sources: Iterable[Source]) -> list[str]:
    return sorted(s.url for s in sources)


@in_english
def person_record(person: Person) -> dict[str, Any]:
    return {
        "ref": person.ref,
        "slug": person.slug,
        "name": person.name,
        "name_belarusian": person.name_belarusian,
        "name_russian": person.name_russian,
        "other_spellings": list(person.other_spellings),
        "union": person.union.key if person.union else "",
        "union_note": person.union_note,
        "role": person.role,
        "city": person.city,
        "status": person.status,
        "status_reported_on": _iso(person.status_reported_on),
        "status_precision": person.status_precision,
        "status_text": person.status_text,
        "status_sources": _urls(person.status_sources.all()),
        "detained_on": _iso(person.detained_on),
        "detained_precision": person.detained_precision,
        "released_on": _iso(person.released_on),
        "notes": person.notes,
        "disputed": list(person.disputed),
        "sources": _urls(person.sources.all()),
        "events": [
            {
                "kind": event.kind,
                "happened_on": _iso(event.happened_on),
                "precision": event.precision,
                "text": event.text,
                "articles": list(event.articles),
                "disputed": event.disputed,
                "disputed_note": event.disputed_note,
                "sources": _urls(event.sources.all()),
            }
            for event in person.events.all()
        ],
    }


@in_english
def company_record(company: Company) -> dict[str, Any]:
    return {
        "ref": company.ref,
        "slug": company.slug,
        "name": company.name,
        "name_cyrillic": company.name_cyrillic,
        "other_names": list(company.other_names),
        "sector": company.sector,
        "ownership": company.ownership,
        "city": company.city,
        "sanctions_status": company.sanctions_status,
        "sanctions_note": company.sanctions_note,
        "sources": _urls(company.sources.all()),
        "concerns": [
            {
                "text": c.text,
                "reported_on": _iso(c.reported_on),
                "disputed": c.disputed,
                "sources": _urls(c.sources.all()),
            }
            for c in company.concerns.all()
        ],
        "partners": [
            {
                "name": p.name,
                "country": p.country,
                "relationship": p.relationship,
                "sources": _urls(p.sources.all()),
            }
            for p in company.partners.all()
        ],
    }


def people_for_export() -> list[dict[str, Any]]:
    people = (
        Person.objects.published()
        .select_related("union")
        .prefetch_related("sources", "status_sources", "events__sources")
    )
    return [person_record(p) for p in people]


def companies_for_export() -> list[dict[str, Any]]:
    companies = Company.objects.published().prefetch_related(
        "sources", "concerns__sources", "partners__sources"
    )
    return [company_record(c) for c in companies]


def normalised(record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """A record with every field present and sources in a stable order, for comparing."""
    out: dict[str, Any] = {}
    for name in fields:
        value = record.get(name)
        if name in ("sources", "status_sources"):
            value = sorted(value or [])
        elif name in ("events", "concerns", "partners"):
            value = [{**item, "sources": sorted(item.get("sources") or [])} for item in value or []]
        elif name in ("other_spellings", "disputed", "other_names"):
            value = list(value or [])
        elif value is None and name not in ("status_reported_on", "detained_on", "released_on"):
            value = ""
        out[name] = value
    return out


# CSV: one row per record; list columns hold JSON so that a file exported round-trips exactly.
def to_csv(records: list[dict[str, Any]], fields: list[str], list_fields: set[str]) -> str:
    buffer = io.StringIO()
    writer = CsvDictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                name: json.dumps(record.get(name) or [], ensure_ascii=False)
                if name in list_fields
                else ("" if record.get(name) is None else record.get(name))
                for name in fields
            }
        )
    return buffer.getvalue()


def from_csv(text: str, fields: list[str], list_fields: set[str]) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"ref", "name"} - set(reader.fieldnames or [])
    if missing:
        raise ImportError(
            _("The file has no column %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    records = []
    for number, row in enumerate(reader, start=2):
        record: dict[str, Any] = {}
        for name in fields:
            if name not in row:
                continue
            value = restore_cell(row[name] or "")
            if name in list_fields:
                try:
                    record[name] = json.loads(value) if value else []
                except json.JSONDecodeError as exc:
                    raise ImportError(
                        _("Line %(line)d, column %(column)s is not a JSON list.")
                        % {"line": number, "column": name}
                    ) from exc
            elif name.endswith("_on"):
                record[name] = value or None
            else:
                record[name] = value
        records.append(record)
    return records


def from_json(text: str, key: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportError(_("The file is not valid JSON.")) from exc
    if isinstance(data, dict):
        data = data.get(key, data.get("records"))
    if not isinstance(data, list) or not all(isinstance(r, dict) and r.get("ref") for r in data):
        raise ImportError(_("Expected a list of records, each with a 'ref'."))
    return data


@dataclass
class Change:
    ref: str
    name: str
    kind: str  # "new", "changed", "unchanged"
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    model: type[Person] | type[Company]
    changes: list[Change]

    @property
    def new(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "new"]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "changed"]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "unchanged"]

    def summary(self) -> str:
        return _("%(new)d new, %(changed)d changed, %(unchanged)d unchanged") % {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
        }

    def describe(self) -> str:
        """The plan as text, for the command line."""
        lines = [self.summary()]
        for change in self.new:
            lines.append(f"+ {change.ref} {change.name}")
        for change in self.changed:
            lines.append(f"~ {change.ref} {change.name}")
            for name, (old, new) in change.fields.items():
                lines.append(f"    {name}: {_short(old)} -> {_short(new)}")
        return "\n".join(lines)

    @transaction.atomic
    def apply(self) -> None:
        save = save_person if self.model is Person else save_company
        for change in self.changes:
            if change.kind != "unchanged":
                save(change.record)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _plan(model, records, fields, current_records) -> ImportPlan:
    changes = []
    seen: set[str] = set()
    for record in records:
        ref = str(record.get("ref") or "")
        if not ref or not record.get("name"):
            raise ImportError(_("Every record needs a 'ref' and a 'name'."))
        if ref in seen:
            raise ImportError(_("The reference %(ref)s appears twice.") % {"ref": ref})
        seen.add(ref)
        incoming = normalised(record, fields)
        if not incoming.get("slug"):
            incoming["slug"] = ref
        existing = current_records.get(ref)
        if existing is None:
            changes.append(Change(ref, incoming["name"], "new", record=incoming))
            continue
        before = normalised(existing, fields)
        differing = {
            name: (before[name], incoming[name])
            for name in fields
            if name in record and before[name] != incoming[name]
        }
        merged = {**before, **{name: incoming[name] for name in fields if name in record}}
        kind = "changed" if differing else "unchanged"
        changes.append(Change(ref, incoming["name"], kind, differing, merged))
    return ImportPlan(model, changes)


def plan_people(records: list[dict[str, Any]]) -> ImportPlan:
    current = {
        p.ref: person_record(p)
        for p in Person.objects.filter(ref__in=[r.get("ref") for r in records])
        .select_related("union")
        .prefetch_related("sources", "status_sources", "events__sources")
    }
    return _plan(Person, records, PERSON_FIELDS, current)


def plan_companies(records: list[dict[str, Any]]) -> ImportPlan:
    current = {
        c.ref: company_record(c)
        for c in Company.objects.filter(ref__in=[r.get("ref") for r in records]).prefetch_related(
            "sources", "concerns__sources", "partners__sources"
        )
    }
    return _plan(Company, records, COMPANY_FIELDS, current)


def _sources(urls: list[str]) -> list[Source]:
    return [Source.for_url(url) for url in urls]


def _union(key: str) -> Union | None:
    """The union record a file names by its key; a key not known yet makes a new record,
    which organisers can name and translate in the admin."""
    if not key:
        return None
    union, _created = Union.objects.get_or_create(key=key, defaults=union_fields(key))
    return union


@in_english
def save_person(record: dict[str, Any]) -> Person:
    scalar = {
        name: record[name]
        for name in PERSON_FIELDS
        if name not in ("ref", "sources", "status_sources", "events")
    }
    scalar["union"] = _union(record.get("union") or "")
    scalar["union_note"] = record.get("union_note") or ""
    person, _created = Person.objects.update_or_create(ref=record["ref"], defaults=scalar)
    person.sources.set(_sources(record["sources"]))
    person.status_sources.set(_sources(record["status_sources"]))
    person.events.all().delete()
    for position, item in enumerate(record["events"]):
        event = CaseEvent.objects.create(
            person=person,
            position=position,
            **{name: item.get(name) for name in EVENT_FIELDS if name != "sources"},
        )
        event.sources.set(_sources(item.get("sources") or []))
    return person


@in_english
def save_company(record: dict[str, Any]) -> Company:
    scalar = {
        name: record[name]
        for name in COMPANY_FIELDS
        if name not in ("ref", "sources", "concerns", "partners")
    }
    company, _created = Company.objects.update_or_create(ref=record["ref"], defaults=scalar)
    company.sources.set(_sources(record["sources"]))
    company.concerns.all().delete()
    for position, item in enumerate(record["concerns"]):
        concern = LabourConcern.objects.create(
            company=company,
            position=position,
            text=item["text"],
            reported_on=item.get("reported_on"),
            disputed=bool(item.get("disputed")),
        )
        concern.sources.set(_sources(item.get("sources") or []))
    company.partners.all().delete()
    for item in record["partners"]:
        partner = BusinessPartner.objects.create(
            company=company,
            name=item["name"],
            country=item.get("country", ""),
            relationship=item.get("relationship", ""),
        )
        partner.sources.set(_sources(item.get("sources") or []))
    return company


def read_records(text: str, fmt: str, register: str) -> list[dict[str, Any]]:
    """Records of ``register`` ("people" or "companies") from a JSON or CSV file's text."""
    fields, list_fields = (
        (PERSON_FIELDS, PERSON_LIST_FIELDS)
        if register == "people"
        else (COMPANY_FIELDS, COMPANY_LIST_FIELDS)
    )
    if fmt == "csv":
        return from_csv(text, fields, list_fields)
    return from_json(text, register)


def plan(records: list[dict[str, Any]], register: str) -> ImportPlan:
    return plan_people(records) if register == "people" else plan_companies(records)
