"""The register's block on the campaign home page: how many people are held in custody, counted
from the register (last reported status), never typed in."""

from __future__ import annotations

from django.http import HttpRequest

from picketline.campaigns.blocks import Block
from picketline.campaigns.models import Campaign
from picketline.registers.models import Person

ORDER = 150  # after the campaign's "about", before its demands


def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]:
    held = Person.objects.in_custody()
    latest = held.exclude(status_reported_on=None).order_by("-status_reported_on").first()
    context = {
        "held": held.count(),
        "latest_report": latest.status_reported_on if latest else None,
    }
    return [Block("registers/blocks/held.html", context, ORDER)]
