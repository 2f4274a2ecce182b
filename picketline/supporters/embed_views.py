"""The pages every embed shares: "check your mail" inside the frame, and the partner's logo."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from picketline.partners.models import Partner
from picketline.supporters import flow
from picketline.supporters.embed import embeddable
from picketline.web.cache import public_page

LOGO_SECONDS = 60 * 60 * 24 * 365  # its address changes with the logo


@public_page
@require_GET
def check_mail_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "supporters/embed_check_mail.html", {"days": flow.unconfirmed_lifetime().days}
    )


check_mail = embeddable(check_mail_page, methods=("GET",))


@require_GET
def logo(request: HttpRequest, partner: str, version: str) -> HttpResponse:
    found = Partner.objects.active().filter(slug=partner).exclude(logo_type="").first()
    if found is None or found.logo_version() != version:
        raise Http404
    response = HttpResponse(bytes(found.logo), content_type=found.logo_type)
    response["Cache-Control"] = f"public, max-age={LOGO_SECONDS}, immutable"
    return response
