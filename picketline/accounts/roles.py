"""Organiser roles as Django groups with permissions, created idempotently.

- administrator: every permission, including accounts and supporters' personal data;
- organiser: runs the campaign: edits all campaign content, sees and exports supporters'
  personal data, reads the outbox and the audit log;
- moderator: reviews what supporters submit; sees content, no personal data beyond the
  submissions app;
- viewer: reads the campaign content and the counts, no personal data.

Permissions are matched by app label and codename, so models added later are covered the next
time ``picketline setup_roles`` (or the demo) runs.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
MODERATOR = "moderator"
VIEWER = "viewer"
ROLES = [ADMINISTRATOR, ORGANISER, MODERATOR, VIEWER]

CONTENT_APPS = ["campaigns", "letters", "events", "submissions", "registers"]


def _permissions_for(role: str) -> list[Permission]:
    everything = Permission.objects.select_related("content_type")
    if role == ADMINISTRATOR:
        return list(everything)
    chosen = []
    for permission in everything:
        app = permission.content_type.app_label
        codename = permission.codename
        verb = codename.split("_", 1)[0]
        if role == ORGANISER:
            if app in CONTENT_APPS or (
                app == "supporters"
                and (verb == "view" or codename in {"view_personal_data", "export_personal_data"})
            ):
                chosen.append(permission)
            elif app in ("mail", "accounts") and verb == "view":
                chosen.append(permission)
        elif role == MODERATOR:
            if app == "submissions" or (app in CONTENT_APPS and verb == "view"):
                chosen.append(permission)
        elif role == VIEWER:
            if app in CONTENT_APPS and verb == "view":
                chosen.append(permission)
    return chosen


def ensure_roles() -> dict[str, int]:
    """Create or update the four role groups. Returns permissions per role."""
    counts = {}
    with transaction.atomic():
        for role in ROLES:
            group, _created = Group.objects.get_or_create(name=role)
            permissions = _permissions_for(role)
            group.permissions.set(permissions)
            counts[role] = len(permissions)
    return counts
