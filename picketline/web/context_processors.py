from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def site(request: HttpRequest) -> dict[str, object]:
    """Language alternates for the switcher and hreflang links, and whether this is the demo.
    (The site's name comes from ``campaigns.context_processors.site_name``.)

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
    }
