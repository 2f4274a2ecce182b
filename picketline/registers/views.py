from __future__ import annotations

import json
import mimetypes
from datetime import date

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from picketline.registers import exchange
from picketline.registers.models import (
    Company,
    Person,
    PersonQuerySet,
    Procedure,
    SanctionsStatus,
    Status,
    Union,
    WritingGuidance,
)
from picketline.web.cache import public_page


def param(request: HttpRequest, name: str) -> str:
    """A filter from the query string; NUL characters (which PostgreSQL refuses) are dropped."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:200]


def last_updated(model: type[Person] | type[Company]) -> date | None:
    """The date of the newest fact of the published register (not when it was loaded)."""
    return model.objects.published().newest_fact()


def cities_of(people: PersonQuerySet) -> list[tuple[str, str]]:
    """(English name, name in the reader's language) of the towns of ``people``, sorted as
    the reader reads them."""
    named = {person.city_en: person.city for person in people.exclude(city_en="") if person.city_en}
    return sorted(named.items(), key=lambda pair: pair[1])


@require_GET
def person_photo(request: HttpRequest, slug: str) -> FileResponse:
    """A person's photo, from this site whatever the storage (a bucket's address would be
    another website, which the pages never load from), and only while the page may show it."""
    found = get_object_or_404(Person.objects.published(), slug=slug)
    content_type = mimetypes.guess_type(found.photo.name)[0] if found.photo else None
    if not found.shows_photo() or not (content_type or "").startswith("image/"):
        raise Http404("No photo")
    response = FileResponse(found.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@public_page
def people(request: HttpRequest) -> HttpResponse:
    found = Person.objects.published().select_related("union")
    query = param(request, "q")
    status = param(request, "status")
    union = param(request, "union")
    city = param(request, "city")
    if query:
        found = found.search(query)
    if status in Status.values:
        found = found.filter(status=status)
    if union:
        found = found.filter(union__key=union.lower())
    if city:  # the English name: the same link in every language
        found = found.filter(city_en=city)
    published = Person.objects.published()
    unions = Union.objects.filter(people__in=published).distinct()
    ctx = {
        "people": found,
        "query": query,
        "status": status,
        "union": union,
        "city": city,
        "statuses": Status.choices,
        "unions": sorted(unions, key=str),
        "cities": cities_of(published),
        "in_custody": published.in_custody().count(),
        "procedures": Procedure.objects.prefetch_related("sources"),
        "last_updated": last_updated(Person),
        "today": timezone.localdate(),
    }
    return render(request, "registers/people.html", ctx)


@require_GET
@public_page
def person(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Person.objects.published().prefetch_related("sources", "status_sources", "events__sources"),
        slug=slug,
    )
    ctx = {
        "person": found,
        "days_in_custody": found.days_in_custody(),
        "today": timezone.localdate(),
        "guidance": WritingGuidance.objects.filter(is_published=True).exists(),
    }
    return render(request, "registers/person.html", ctx)


@require_GET
@public_page
def guidance(request: HttpRequest) -> HttpResponse:
    ctx = {"guidance": WritingGuidance.objects.filter(is_published=True)}
    return render(request, "registers/guidance.html", ctx)


@require_GET
@public_page
def companies(request: HttpRequest) -> HttpResponse:
    found = Company.objects.published().prefetch_related("sources")
    query = param(request, "q")
    sanctions = param(request, "sanctions")
    if query:
        found = found.search(query)
    if sanctions in SanctionsStatus.values:
        found = found.filter(sanctions_status=sanctions)
    ctx = {
        "companies": found,
        "query": query,
        "sanctions": sanctions,
        "sanctions_choices": SanctionsStatus.choices,
        "last_updated": last_updated(Company),
    }
    return render(request, "registers/companies.html", ctx)


@require_GET
@public_page
def company(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Company.objects.published().prefetch_related(
            "sources", "concerns__sources", "partners__sources"
        ),
        slug=slug,
    )
    ctx = {"company": found, "reports": found.public_action_reports()}
    return render(request, "registers/company.html", ctx)


@require_GET
@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    ctx = {
        "licence": exchange.LICENCE,
        "licence_url": exchange.LICENCE_URL,
        "people_updated": last_updated(Person),
        "companies_updated": last_updated(Company),
    }
    return render(request, "registers/open_data.html", ctx)


def licence_note() -> str:
    return _(
        "Compilation licensed under %(licence)s (%(url)s). Each fact names its sources; "
        "those remain under their publishers' terms."
    ) % {"licence": exchange.LICENCE, "url": exchange.LICENCE_URL}


@require_GET
@public_page
def download(request: HttpRequest, register: str, fmt: str) -> HttpResponse:
    if register == "people":
        records = exchange.people_for_export()
        fields, lists, model = exchange.PERSON_FIELDS, exchange.PERSON_LIST_FIELDS, Person
    else:
        records = exchange.companies_for_export()
        fields, lists, model = exchange.COMPANY_FIELDS, exchange.COMPANY_LIST_FIELDS, Company
    newest = last_updated(model)
    updated = newest.isoformat() if newest else ""
    filename = f"picketline-{register}-{updated or 'empty'}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exchange.to_csv(records, fields, lists), content_type="text/csv; charset=utf-8"
        )
    else:
        document = {
            "licence": exchange.LICENCE,
            "licence_url": exchange.LICENCE_URL,
            "attribution": licence_note(),
            "last_updated": updated or None,
            register: records,
        }
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{exchange.LICENCE_URL}>; rel="license"'
    return response
