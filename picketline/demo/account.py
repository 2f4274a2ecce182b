"""The demo's organiser account: created once, its password kept in the data folder."""

from __future__ import annotations

import secrets
from pathlib import Path

DEMO_USERNAME = "organiser"


def ensure_demo_organiser(data_dir: Path) -> tuple[str, str]:
    from django.contrib.auth import get_user_model

    password_file = data_dir / "organiser_password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        password_file.chmod(0o600)
    password = password_file.read_text(encoding="utf-8").strip()
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return DEMO_USERNAME, password
