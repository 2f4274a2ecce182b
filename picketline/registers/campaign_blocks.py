"""The register's block on the campaign home page: how many people are held in custody, counted
from the register (last reported status), never typed in."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from picketline.campaigns.blocks import Block
from picketline.campaigns.models import Campaign
from picketline.registers.models import Person

ORDER = 150  # after the campaign's "about", before its demands


def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]:
    held = Person.objects.in_custody()
    latest = held.exclude(status_reported_on=None).order_by("-status_reported_on").first()
    year_ago = timezone.localdate() - timedelta(days=365)
    stale = held.filter(Q(status_reported_on=None) | Q(status_reported_on__lt=year_ago))
    context = {
        "held": held.count(),
        "latest_report": latest,  # its status_date_display(), to the day or the month
        "stale": stale.count(),
    }
    return [Block("registers/blocks/held.html", context, ORDER)]
