"""Sections that other apps add to the campaign home page, without touching its templates.

An app contributes by having a module ``picketline/<app>/campaign_blocks.py`` with::

    def blocks(campaign: Campaign, request: HttpRequest) -> list[Block]: ...

Each ``Block`` names a template, the context it needs and its place on the page (``order``);
the home page renders them between its own sections, lowest order first. The campaign's own
sections use the orders in ``ORDER``; pick a number between them to place a block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from picketline.campaigns.models import Campaign

# Where the campaign's own sections sit. Leave gaps: other apps slot in between.
ORDER = {
    "about": 100,  # summary and body, beside the Day of Action
    "demands": 200,
    "actions": 300,  # the six supporter actions
    "hashtags": 500,  # hashtags and share links
    "timeline": 600,
    "organisations": 700,
    "contacts": 800,
}


@dataclass(frozen=True)
class Block:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 1000

    def render(self, request: HttpRequest) -> SafeString:
        return render_to_string(self.template, self.context, request=request)


BlockProvider = Callable[["Campaign", HttpRequest], list[Block]]


@cache
def providers() -> tuple[BlockProvider, ...]:
    """``blocks`` functions of every installed app that has a ``campaign_blocks`` module."""
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.campaign_blocks"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        found.append(module.blocks)
    return tuple(found)


def collect(campaign: Campaign, request: HttpRequest) -> list[Block]:
    """Every block for this campaign, in page order (ties keep the apps' order)."""
    collected = [block for provider in providers() for block in provider(campaign, request)]
    return sorted(collected, key=lambda block: block.order)
