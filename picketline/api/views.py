"""The open JSON API: thin views over the apps' public querysets (``api_view`` adds methods,
CORS, ETags and errors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from picketline.api import content, registers, schema
from picketline.api.http import api_view


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
endorsements = api_view(content.endorsements)
reports = api_view(content.reports)
videos = api_view(content.videos)
