"""The demo's accounts, created once, each password kept in the data folder: the organiser
(a superuser) and one partner's staff member, so the partner's view can be tried."""

from __future__ import annotations

import secrets
from pathlib import Path

DEMO_USERNAME = "organiser"
# A member of staff of the first demo partner (``partners.demo.PARTNERS``).
DEMO_PARTNER_SLUG = "ituc"
DEMO_PARTNER_USERNAME = "ituc-staff"


def _password(data_dir: Path, name: str) -> str:
    password_file = data_dir / f"{name}_password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        password_file.chmod(0o600)
    return password_file.read_text(encoding="utf-8").strip()


def ensure_demo_organiser(data_dir: Path) -> tuple[str, str]:
    from django.contrib.auth import get_user_model

    password = _password(data_dir, "organiser")
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return DEMO_USERNAME, password


def ensure_demo_partner_staff(data_dir: Path) -> tuple[str, str, str]:
    """The demo partner's staff account (role ``partner staff``, a ``PartnerMembership`` of the
    demo's ITUC): username, password and the partner's name. Needs the demo loaded."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from picketline.accounts.roles import PARTNER_STAFF, ensure_roles
    from picketline.partners.models import Partner, PartnerMembership

    ensure_roles()
    partner = Partner.objects.get(slug=DEMO_PARTNER_SLUG)
    password = _password(data_dir, "partner_staff")
    user, _ = get_user_model().objects.get_or_create(username=DEMO_PARTNER_USERNAME)
    user.is_staff = True
    user.is_superuser = False
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=PARTNER_STAFF)])
    user.user_permissions.clear()
    PartnerMembership.objects.update_or_create(user=user, defaults={"partner": partner})
    return DEMO_PARTNER_USERNAME, password, partner.name
