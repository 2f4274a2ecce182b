from __future__ import annotations

from datetime import date
from typing import Any

from picketline.registers.models import CaseEvent, Company, Person, Source, Status, Union


def make_person(ref: str = "p1", name: str = "Aliaksandr Yarashuk", **fields: Any) -> Person:
    defaults: dict[str, Any] = {
        "slug": ref,
        "name": name,
        "status": Status.IN_CUSTODY,
        "status_reported_on": date(2023, 7, 28),
        "status_text": "last reported imprisoned",
        "union": "BKDP",
        "city": "Minsk",
    }
    defaults.update(fields)
    if isinstance(defaults["union"], str):
        defaults["union"] = make_union(defaults["union"])
    person = Person.objects.create(ref=ref, **defaults)
    person.sources.add(Source.for_url(f"https://news.example/{ref}"))
    return person


def make_union(abbreviation: str, name: str = "") -> Union:
    union, _created = Union.objects.get_or_create(
        key=abbreviation.lower(),
        defaults={"abbreviation": abbreviation, "name": name or abbreviation},
    )
    return union


def make_event(person: Person, kind: str = CaseEvent.Kind.DETENTION, **fields: Any) -> CaseEvent:
    event = CaseEvent.objects.create(
        person=person, kind=kind, text=fields.pop("text", "Detained"), **fields
    )
    event.sources.add(Source.for_url("https://news.example/2022/04/20/detained"))
    return event


def make_company(ref: str = "belaruskali", **fields: Any) -> Company:
    defaults: dict[str, Any] = {
        "slug": ref,
        "name": "Belaruskali (OJSC Belaruskali)",
        "name_cyrillic": "ОАО «Беларуськалий»",
        "sector": "potash",
        "city": "Salihorsk",
    }
    defaults.update(fields)
    return Company.objects.create(ref=ref, **defaults)
