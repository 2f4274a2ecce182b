"""The events' sections of the campaign home page: the street action, the online meeting, and
the call to hold an action in your own country (see ``picketline.campaigns.blocks``)."""

from __future__ import annotations

from django.http import HttpRequest

from picketline.campaigns.blocks import Block
from picketline.campaigns.models import Campaign
from picketline.events.models import Event, HostedAction

STREET_ACTION_ORDER = 400
ONLINE_MEETING_ORDER = 410
HOSTED_ORDER = 450


def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]:
    found = []
    for index, event in enumerate(campaign_events(campaign)):
        if event.has_place:
            template, order = "events/blocks/street_action.html", STREET_ACTION_ORDER
        else:
            template, order = "events/blocks/online_meeting.html", ONLINE_MEETING_ORDER
        found.append(Block(template, {"event": event}, order + index))
    hosted = Event.objects.listed().filter(hosted_action__status=HostedAction.Status.APPROVED)
    found.append(
        Block(
            "events/blocks/hosted.html",
            {
                "count": hosted.count(),
                "countries": hosted.values("country").distinct().count(),
            },
            HOSTED_ORDER,
        )
    )
    return found


def campaign_events(campaign: Campaign) -> list[Event]:
    """The campaign's own published events (not those supporters host), soonest first."""
    return list(
        Event.objects.published()
        .filter(campaign=campaign, hosted_action__isnull=True)
        .order_by("starts_at", "pk")
    )
