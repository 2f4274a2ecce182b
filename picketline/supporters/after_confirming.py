"""The page after confirming: one per kind of action and action, the same for everyone who
confirms it (so the page cache stores it): it names what was confirmed, offers the campaign's
share links and hashtags, and the campaign's other actions.

Whether this supporter has taken those other actions cannot be known on a page that holds
nothing personal; the page offers all of them but the one just confirmed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from picketline.campaigns.models import Campaign
from picketline.campaigns.share import share_links


def page(
    request: HttpRequest,
    *,
    newly: bool,
    what: str,
    public_path: str,
    details: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render the page after confirming ``what`` (its name, in the current language).

    ``public_path`` is where the action lives on the site (shared, and left out of the next
    actions); ``details`` a template included under the name (recipients, calendar links)."""
    campaign = Campaign.objects.current()
    hashtags, links, next_actions = [], [], []
    if campaign is not None:
        hashtags = list(campaign.hashtags.all())
        done = public_path.strip("/").split("/", 1)[-1]  # without the language
        next_actions = [
            action for action in campaign.actions.all() if action.destination.strip("/") != done
        ]
        text = " ".join(
            [_("I have taken part: %(what)s.") % {"what": what}, *(t.tagged for t in hashtags)]
        )
        links = share_links(text, settings.SITE_URL + public_path)
    return render(
        request,
        "supporters/confirmed.html",
        {
            "newly": newly,
            "what": what,
            "details": details,
            "campaign": campaign,
            "hashtags": hashtags,
            "links": links,
            "next_actions": next_actions,
            **(context or {}),
        },
    )
