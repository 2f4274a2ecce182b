"""The letters' block on the campaign home page: counts and links to every letter action."""

from __future__ import annotations

from django.http import HttpRequest

from picketline.campaigns.blocks import ORDER, Block
from picketline.letters import counters
from picketline.letters.models import LetterAction


def blocks(campaign, request: HttpRequest) -> list[Block]:
    actions = list(LetterAction.objects.published())
    if not actions:
        return []
    counts = counters.per_action()
    for action in actions:
        action.letter_count = counts.get(action.pk, 0)
    return [
        Block(
            "letters/campaign_block.html",
            {
                "actions": actions,
                "total": counters.letters_total(),
                "countries": counters.per_target_country(),
            },
            order=ORDER["actions"] + 50,
        )
    ]
