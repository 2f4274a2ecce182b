"""Organiser pages that apps above ``accounts`` add to the admin's index page.

An app registers each page in its ``AppConfig.ready()``::

    admin_links.register("dashboard:figures", _("Dashboard"), "dashboard.view_dailycount")

and the index (``login.OrganiserAdminSite.index``) lists the pages the user may open. The
permission may also be a callable taking the user, for a page open to several permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class AdminLink:
    url_name: str
    label: Any
    permission: str | Callable[[Any], bool]

    def allows(self, user: Any) -> bool:
        if callable(self.permission):
            return self.permission(user)
        return user.has_perm(self.permission)


_LINKS: dict[str, AdminLink] = {}


def register(url_name: str, label: Any, permission: str | Callable[[Any], bool]) -> None:
    _LINKS[url_name] = AdminLink(url_name, label, permission)


def links_for(user: Any) -> list[dict[str, Any]]:
    """The registered pages ``user`` may open, as label and address."""
    return [
        {"label": link.label, "url": reverse(link.url_name)}
        for link in _LINKS.values()
        if link.allows(user)
    ]
