"""The campaign's own sections of its home page (see ``blocks.py`` for how other apps add theirs)."""

from __future__ import annotations

from django.http import HttpRequest

from picketline.campaigns.blocks import ORDER, Block
from picketline.campaigns.models import Campaign, Organisation
from picketline.campaigns.share import share_links


def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]:
    url = campaign.public_url()
    hashtags = [
        {"hashtag": tag, "links": share_links(campaign.share_text(tag), url)}
        for tag in campaign.hashtags.all()
    ]
    timeline = list(campaign.timeline.all())
    for entry in timeline:
        entry.campaign = campaign  # status() reads the campaign's zone: no query per entry
    organisations = list(campaign.organisations.all())
    organisers = [o for o in organisations if o.role == Organisation.Role.ORGANISER]
    found = [
        Block(
            "campaigns/blocks/about.html",
            {
                "campaign": campaign,
                "organisers": organisers,
                "first_hashtag": hashtags[0]["hashtag"] if hashtags else None,
            },
            ORDER["about"],
        ),
        Block(
            "campaigns/blocks/demands.html",
            {"demands": campaign.demands.all()},
            ORDER["demands"],
        ),
        Block(
            "campaigns/blocks/actions.html",
            {"actions": campaign.actions.all()},
            ORDER["actions"],
        ),
        Block(
            "campaigns/blocks/hashtags.html",
            {
                "campaign": campaign,
                "hashtags": hashtags,
                "all_links": share_links(campaign.share_text(), url),
            },
            ORDER["hashtags"],
        ),
        Block(
            "campaigns/blocks/timeline.html",
            {
                "campaign": campaign,
                "timeline": timeline,
                "important": [entry for entry in timeline if entry.important],
            },
            ORDER["timeline"],
        ),
        Block(
            "campaigns/blocks/organisations.html",
            {
                "organisers": organisers,
                "partners": [o for o in organisations if o.role == Organisation.Role.PARTNER],
            },
            ORDER["organisations"],
        ),
        Block(
            "campaigns/blocks/contacts.html",
            {"contacts": campaign.contacts.all()},
            ORDER["contacts"],
        ),
    ]
    return found
