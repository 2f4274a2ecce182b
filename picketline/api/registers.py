"""API representation of the registers: every fact with its sources, statuses with their date."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from picketline.api.http import BadRequest, NotFound, choice_param, page
from picketline.registers.models import (
    CaseEvent,
    Company,
    Person,
    Procedure,
    SanctionsStatus,
    Source,
    Status,
)

MAX_QUERY = 200


def source_json(source: Source) -> dict[str, Any]:
    return {"url": source.url, "title": source.title, "date": source.published_on}


def sources_json(sources: Any) -> list[dict[str, Any]]:
    return [source_json(s) for s in sources.all()]


def event_json(event: CaseEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "date": event.happened_on,
        "date_precision": event.precision,
        "text": event.text,
        "articles": list(event.articles),
        "disputed": event.disputed,
        "disputed_note": event.disputed_note,
        "sources": sources_json(event.sources),
    }


def person_json(person: Person, detail: bool = False) -> dict[str, Any]:
    data = {
        "slug": person.slug,
        "ref": person.ref,
        "name": person.name,
        "name_belarusian": person.name_belarusian,
        "name_russian": person.name_russian,
        "other_spellings": list(person.other_spellings),
        "union": person.union_display(),
        "role": person.role,
        "city": person.city,
        "status": {
            "value": person.status,
            "reported_on": person.status_reported_on,
            "date_precision": person.status_precision,
            "as_reported": person.status_text,
            "sources": sources_json(person.status_sources),
        },
        "detained_on": person.detained_on,
        "detained_precision": person.detained_precision,
        "released_on": person.released_on,
        "days_in_custody": person.days_in_custody(),
        "disputed": list(person.disputed),
        "sources": sources_json(person.sources),
        "page": person.get_absolute_url(),
        "updated_at": person.updated_at,
    }
    if detail:
        data["events"] = [event_json(e) for e in person.events.all()]
    return data


def query_param(request: HttpRequest) -> str:
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY:
        raise BadRequest(_("'q' is longer than %(max)d characters.") % {"max": MAX_QUERY})
    return query


def prisoners(request: HttpRequest) -> dict[str, Any]:
    found = (
        Person.objects.published()
        .select_related("union")
        .prefetch_related("sources", "status_sources")
    )
    status = choice_param(request, "status", list(Status.values))
    query = query_param(request)
    if status:
        found = found.filter(status=status)
    if request.GET.get("union"):  # the union's key or abbreviation, e.g. rep or REP
        wanted = request.GET["union"]
        found = found.filter(Q(union__key=wanted.lower()) | Q(union__abbreviation=wanted))
    if request.GET.get("city"):
        found = found.filter(city_en=request.GET["city"])  # the English name, in any language
    if query:
        found = found.search(query)
    result = page(request, found, person_json)
    result["in_custody"] = Person.objects.in_custody().count()
    return result


def prisoner(request: HttpRequest, slug: str) -> dict[str, Any]:
    person = (
        Person.objects.published()
        .prefetch_related("sources", "status_sources", "events__sources")
        .filter(slug=slug)
        .first()
    )
    if person is None:
        raise NotFound(_("No published person with this slug."))
    return person_json(person, detail=True)


def company_json(company: Company, detail: bool = False) -> dict[str, Any]:
    data = {
        "slug": company.slug,
        "ref": company.ref,
        "name": company.name,
        "name_cyrillic": company.name_cyrillic,
        "other_names": list(company.other_names),
        "sector": company.sector,
        "ownership": company.ownership,
        "city": company.city,
        "sanctions": {"status": company.sanctions_status, "as_reported": company.sanctions_note},
        "sources": sources_json(company.sources),
        "page": company.get_absolute_url(),
        "updated_at": company.updated_at,
    }
    if detail:
        data["concerns"] = [
            {
                "text": c.text,
                "reported_on": c.reported_on,
                "disputed": c.disputed,
                "sources": sources_json(c.sources),
            }
            for c in company.concerns.all()
        ]
        data["partners"] = [
            {
                "name": p.name,
                "country": p.country,
                "relationship": p.relationship,
                "sources": sources_json(p.sources),
            }
            for p in company.partners.all()
        ]
    return data


def companies(request: HttpRequest) -> dict[str, Any]:
    found = Company.objects.published().prefetch_related("sources")
    sanctions = choice_param(request, "sanctions", list(SanctionsStatus.values))
    query = query_param(request)
    if sanctions:
        found = found.filter(sanctions_status=sanctions)
    if query:
        found = found.search(query)
    return page(request, found, company_json)


def company(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = (
        Company.objects.published()
        .prefetch_related("sources", "concerns__sources", "partners__sources")
        .filter(slug=slug)
        .first()
    )
    if found is None:
        raise NotFound(_("No published company with this slug."))
    return company_json(found, detail=True)


def procedures(request: HttpRequest) -> dict[str, Any]:
    def one(procedure: Procedure) -> dict[str, Any]:
        return {
            "key": procedure.key,
            "title": procedure.title,
            "body": procedure.body_name,
            "date": procedure.decided_on,
            "date_disputed": procedure.date_disputed,
            "date_note": procedure.date_note,
            "summary": procedure.summary,
            "facts": list(procedure.facts),
            "sources": sources_json(procedure.sources),
        }

    return page(request, Procedure.objects.prefetch_related("sources"), one)
