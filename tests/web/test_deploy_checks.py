"""Production settings pass Django's deployment checks (HSTS, secure cookies, SSL redirect…)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from picketline.lib.crypto import new_key_text

ROOT = Path(__file__).resolve().parents[2]


def test_it_passes_the_deploy_checks_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PICKETLINE_", "SECURE_", "DJANGO_")) and key != "DEBUG"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="picketline.settings",
        PICKETLINE_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://campaign.example",
        ALLOWED_HOSTS="campaign.example",
        EMAIL_URL="smtp+tls://mail.example",
        PICKETLINE_ENCRYPTION_KEYS=new_key_text("k1"),
        PICKETLINE_INDEX_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
