"""Organiser roles as Django groups with permissions, created idempotently.

- administrator: every permission, including accounts and supporters' personal data;
- organiser: runs the campaign: edits all campaign content and the countries marked as
  dangerous for supporters, sees and exports supporters' personal data, writes, previews and
  sends mailings, reads the outbox, the workers' heartbeats and the audit log, and clears an
  address's bounce mark so that mail to it is tried again;
- moderator: reviews what supporters submit (the submissions app, all of it), approves or
  declines the actions supporters host and publishes or rejects their reports (the review shows
  what the host proposed or reported, never the host's private contact; the actions themselves
  are not editable), and reads the campaign content; no supporter's identity, no letter, no
  registrant;
- viewer: reads the campaign content and the counts, nothing a supporter wrote or is;
- partner staff: with a ``partners.PartnerMembership``, their partner's record and figures and
  the supporters who agreed to hear from that partner (listed and exported, audited).

Checking people in at an event's door (``events.check_in_registrants``, organiser and
administrator) shows the names of those with a seat, never their addresses.

Mailings (``mailings``) are the organisers' and administrators' alone: the moderator and the
viewer neither see nor write them.

Every role but partner staff opens the dashboard (``dashboard.view_dailycount``: counts, nothing
personal); its outbox figures need the outbox's ``view`` permission (organisers), and its
moderation queue shows each kind to those who may decide on it.

Supporters' personal data is always behind a permission of its own
(``supporters.view_personal_data``, ``letters.read_letters_with_writers``,
``events.see_registrant_details``), never behind a plain ``view_*`` of a model; only the
administrator and organiser roles carry those.
Models whose every page shows what supporters wrote (``WRITTEN_BY_SUPPORTERS``) are not even
viewable below organiser, except the submissions for the moderator.

Permissions are matched by app label and codename, so models added later are covered the next
time ``picketline setup_roles`` (or the demo) runs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
MODERATOR = "moderator"
VIEWER = "viewer"
PARTNER_STAFF = "partner staff"
ROLES = [ADMINISTRATOR, ORGANISER, MODERATOR, VIEWER, PARTNER_STAFF]

# The dashboard's figures are counts: every role may read them.
DASHBOARD = ("dashboard", "view_dailycount")

CONTENT_APPS = ["campaigns", "letters", "events", "submissions", "registers", "partners"]
# A partner's staff: their partner's record and figures, and the supporters who agreed to hear
# from it (supporters.partner_admin narrows every list to their partner).
PARTNER_STAFF_PERMISSIONS = {
    ("partners", "view_partner"),
    ("supporters", "view_partnercontact"),
    ("supporters", "export_partnercontact"),
}

# Deciding on what supporters host, without the change permission that edits it.
MODERATOR_EVENTS_PERMISSIONS = {
    ("events", "review_hostedaction"),
    ("events", "review_hostedreport"),
}

# Models whose admin pages show what a supporter typed or sent (their words, place, face).
WRITTEN_BY_SUPPORTERS = {
    ("events", "hostedaction"),
    ("events", "hostedreport"),
    ("events", "reportphoto"),
    ("events", "hostmessage"),
    # Recipients' replies name the writers; a writer's answer is in their own words.
    ("letters", "reply"),
    ("submissions", "videomessage"),
    ("submissions", "endorsement"),
    ("submissions", "actionreport"),
    ("submissions", "reportphoto"),
    ("submissions", "decision"),
}


def _permissions_for(role: str) -> list[Permission]:
    everything = Permission.objects.select_related("content_type")
    if role == ADMINISTRATOR:
        return list(everything)
    chosen = []
    for permission in everything:
        app = permission.content_type.app_label
        codename = permission.codename
        verb = codename.split("_", 1)[0]
        if (app, codename) == DASHBOARD and role != PARTNER_STAFF:
            # Partner staff see their own partner's figures only (supporters.partner_admin).
            chosen.append(permission)
        elif role == ORGANISER:
            if (
                app in CONTENT_APPS
                or app == "mailings"
                or (
                    app == "supporters"
                    and (
                        verb == "view"
                        or codename
                        in {"view_personal_data", "export_personal_data", "export_partnercontact"}
                        # Which countries are dangerous for supporters is the organisers' call.
                        or permission.content_type.model == "dangerouscountry"
                    )
                )
            ):
                chosen.append(permission)
            elif (
                (app == "mail" and verb == "view")
                # Trying a bouncing address again (the admin action) is the organisers' call,
                # and so is sending again a message that could not be read, once its key is back.
                or (app, codename) == ("mail", "change_addresshealth")
                or (app, codename) == ("mail", "requeue_outgoingmessage")
                or codename in {"view_auditentry", "view_workerheartbeat"}
            ):
                chosen.append(permission)
        elif role == MODERATOR:
            if (
                app == "submissions"
                or (app, codename) in MODERATOR_EVENTS_PERMISSIONS
                or _plain_view(permission, app, verb)
            ):
                chosen.append(permission)
        elif role == VIEWER:
            if _plain_view(permission, app, verb):
                chosen.append(permission)
        elif role == PARTNER_STAFF:
            if (app, codename) in PARTNER_STAFF_PERMISSIONS:
                chosen.append(permission)
    return chosen


def _plain_view(permission: Permission, app: str, verb: str) -> bool:
    """A ``view_*`` permission of campaign content that shows no supporter's own words."""
    model = permission.content_type.model
    return app in CONTENT_APPS and verb == "view" and (app, model) not in WRITTEN_BY_SUPPORTERS


def ensure_roles() -> dict[str, int]:
    """Create or update the role groups (``ROLES``). Returns permissions per role."""
    counts = {}
    with transaction.atomic():
        for role in ROLES:
            group, _created = Group.objects.get_or_create(name=role)
            permissions = _permissions_for(role)
            group.permissions.set(permissions)
            counts[role] = len(permissions)
    return counts


def staff_who_may(*permissions: str) -> list[Any]:
    """Active staff with an address who hold at least one of ``permissions``
    ("app_label.codename": directly, through a role, or as superusers), for staff mail, each
    with their language and time zone (``accounts.preferences.read_by``)."""
    held = Q(is_superuser=True)
    for permission in permissions:
        app, codename = permission.split(".")
        held |= Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app,
        ) | Q(
            groups__permissions__codename=codename, groups__permissions__content_type__app_label=app
        )
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    users = users.filter(held).distinct().select_related("staff_preferences")
    return list(users.order_by("pk"))
