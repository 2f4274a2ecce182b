from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import lazy

from picketline.campaigns.models import Campaign


def _site_name() -> str:
    """The current campaign's title in the current language: the name in every page's header."""
    campaign = Campaign.objects.current()
    return campaign.title if campaign else "Picketline"


def site_name(request: HttpRequest) -> dict[str, object]:
    return {"site_name": lazy(_site_name, str)()}  # only queried when a template shows it
