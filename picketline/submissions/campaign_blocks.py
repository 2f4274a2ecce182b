"""The submissions' section on the campaign home page: the latest videos and the counts."""

from __future__ import annotations

from django.http import HttpRequest

from picketline.campaigns.blocks import Block
from picketline.campaigns.models import Campaign
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage

# After the hashtags (500), before the timeline (600).
ORDER = 550
HOME_VIDEOS = 3


def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]:
    context = {
        "videos": list(VideoMessage.objects.public().order_by("-decided_at", "-pk")[:HOME_VIDEOS]),
        "endorsements_total": Endorsement.objects.public().count(),
        "reports_total": ActionReport.objects.public().count(),
    }
    return [Block("submissions/block_videos.html", context, ORDER)]
