from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import get_language

from picketline.campaigns.models import Campaign
from picketline.web.content import content_version

# Kept until an organiser's edit changes the content version (and no longer than this anyway).
SITE_NAME_SECONDS = 3600


def campaign_name() -> str:
    """The current campaign's title in the current language: the name in every page's header
    and under every mail to a supporter.
    From the cache, keyed by the content version: pages that cannot be cached (a confirmation
    link, a form with errors) need no query for it."""
    key = f"campaigns:site-name:{content_version()}:{get_language()}"
    name = cache.get(key)
    if name is None:
        campaign = Campaign.objects.current()
        name = campaign.title if campaign else "Picketline"
        cache.set(key, name, SITE_NAME_SECONDS)
    return name


def site_name(request: HttpRequest) -> dict[str, object]:
    return {"site_name": lazy(campaign_name, str)()}  # only looked up when a template shows it
