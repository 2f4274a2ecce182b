"""Share cards (``og:image``) for the campaign and each action, drawn by ``lib.share_card`` in
the page's language. Their views are ``@public_page`` for an hour: an organiser's edit still
shows at once (the content version is in the page cache's key)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

from picketline.campaigns.models import Campaign
from picketline.lib.share_card import draw_card

CARD_SECONDS = 3600


def card_response(title: str, subtitle: str = "") -> HttpResponse:
    """A PNG card for ``title``, with the current campaign's hashtags and our host below."""
    campaign = Campaign.objects.current()
    tags = " ".join(tag.tagged for tag in campaign.hashtags.all()) if campaign else ""
    host = urlsplit(settings.SITE_URL).hostname or ""
    footer = "  ".join(part for part in (tags, host) if part)
    return HttpResponse(draw_card(title, subtitle, footer), content_type="image/png")


def campaign_card(campaign: Campaign) -> HttpResponse:
    return card_response(campaign.title, campaign.slogan or campaign.summary)
