from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import lazy


def _site_name() -> str:
    """The current campaign's title in the current language: the name in every page's header."""
    from picketline.campaigns.models import Campaign

    campaign = Campaign.objects.current()
    return campaign.title if campaign else "Picketline"


def site(request: HttpRequest) -> dict[str, object]:
    """Language alternates for the switcher and hreflang links, and whether this is the demo.

    Computed once per request: a page made of many blocks renders several templates with it.
    """
    cached = getattr(request, "picketline_site_context", None)
    if cached is not None:
        return cached
    request.picketline_site_context = context = _site_context(request)
    return context


def _site_context(request: HttpRequest) -> dict[str, object]:
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_alternates": alternates,
        "demo_mode": settings.DEMO,
        "site_url": settings.SITE_URL,
        "site_name": lazy(_site_name, str)(),  # only queried when a template shows it
    }
