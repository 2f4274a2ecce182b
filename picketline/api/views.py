"""The open JSON API: thin views over the apps' public querysets (``api_view`` adds methods,
CORS, ETags and errors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from picketline.api import content, registers, schema, writes
from picketline.api.http import api_view, error
from picketline.web.middleware import checks_own_input


@api_view
def index(request: HttpRequest) -> dict[str, Any]:
    return {
        "openapi": "/api/v1/openapi.json",
        "endpoints": sorted(path for path in schema.document()["paths"] if "{" not in path),
    }


@api_view
def openapi(request: HttpRequest) -> dict[str, Any]:
    return schema.document()


prisoners = api_view(registers.prisoners)
prisoner = api_view(registers.prisoner)
companies = api_view(registers.companies)
company = api_view(registers.company)
procedures = api_view(registers.procedures)
campaigns = api_view(content.campaigns)
campaign = api_view(content.campaign)
actions = api_view(content.actions)
events = api_view(content.events)
event = api_view(content.event)
read_endorsements = api_view(content.endorsements)


# The API sets and reads no cookie, so there is no session for a cross-site request to abuse;
# the write takes JSON only and answers without CORS headers (api.writes), so a visitor's browser
# on another site cannot send it; the double opt-in and the rate limit apply as on the web form.
@csrf_exempt
@checks_own_input
def endorsements(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return writes.submit_endorsement(request)
    response = read_endorsements(request)
    if response.status_code == 405:
        response["Allow"] = "GET, HEAD, OPTIONS, POST"
    return response


@csrf_exempt
@checks_own_input
def not_found(request: HttpRequest) -> HttpResponse:
    return error(404, _("No such endpoint; /api/v1/ lists them."))


reports = api_view(content.reports)
videos = api_view(content.videos)
