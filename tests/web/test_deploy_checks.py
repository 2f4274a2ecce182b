"""Production settings pass Django's deployment checks (HSTS, secure cookies, SSL redirect…) and
our own (several machines need a shared cache and shared media; a proxy nobody trusted)."""

from __future__ import annotations

import base64
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from picketline.lib.crypto import new_key_text

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
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
    env.update(extra)
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_passes_the_deploy_checks_with_production_settings(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_several_machines_without_a_shared_cache_fail_the_deploy_checks(tmp_path):
    result = deploy_check(production_env(tmp_path, PICKETLINE_MACHINES="2"))
    assert result.returncode != 0
    assert "web.E001" in result.stderr and "REDIS_URL" in result.stderr
    assert "web.W001" in result.stderr  # and their uploads on one machine's disk


def test_several_machines_with_redis_only_hear_about_the_media(tmp_path):
    env = production_env(tmp_path, PICKETLINE_MACHINES="2", REDIS_URL="redis://10.0.0.9:6379/0")
    result = deploy_check(env)
    assert "web.E001" not in result.stdout + result.stderr
    assert "web.W001" in result.stdout + result.stderr


def test_several_machines_with_redis_and_media_in_object_storage_pass(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("a-secret\n")
    env = production_env(
        tmp_path,
        PICKETLINE_MACHINES="2",
        REDIS_URL="redis://10.0.0.9:6379/0",
        MEDIA_S3_BUCKET="campaign-media",
        MEDIA_S3_PRIVATE_BUCKET="campaign-originals",
        MEDIA_S3_ENDPOINT_URL="https://s3.example",
        MEDIA_S3_ACCESS_KEY_ID="key-id",
        MEDIA_S3_SECRET_ACCESS_KEY_FILE=str(secret),
    )
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "web.W001" not in result.stdout + result.stderr


def test_originals_never_share_the_published_bucket(tmp_path):
    env = production_env(
        tmp_path, MEDIA_S3_BUCKET="campaign-media", MEDIA_S3_PRIVATE_BUCKET="campaign-media"
    )
    result = deploy_check(env)
    assert result.returncode != 0
    assert "MEDIA_S3_PRIVATE_BUCKET must differ" in result.stderr


def test_a_site_address_without_https_fails_the_deploy_checks(tmp_path):
    # Every link in mail is built on SITE_URL; RFC 8058 wants the one-click unsubscribe on https.
    result = deploy_check(production_env(tmp_path, SITE_URL="http://campaign.example"))
    assert result.returncode != 0
    assert "web.W002" in result.stderr and "https" in result.stderr


def test_one_machine_needs_no_shared_cache(tmp_path):
    result = deploy_check(production_env(tmp_path, PICKETLINE_MACHINES="1"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_forwarding_with_no_trusted_proxy_is_logged_once_without_the_address(
    client, settings, caplog
):
    settings.TRUSTED_PROXIES = []
    with caplog.at_level(logging.WARNING, logger="picketline.web.middleware"):
        for _ in range(3):
            client.get("/en/me/privacy/", HTTP_X_FORWARDED_FOR="198.51.100.4")
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "TRUSTED_PROXIES" in warnings[0].getMessage()
    assert "198.51.100.4" not in caplog.text


@pytest.mark.django_db
def test_forwarding_from_a_trusted_proxy_is_not_warned_of(client, settings, caplog):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    with caplog.at_level(logging.WARNING, logger="picketline.web.middleware"):
        client.get("/en/me/privacy/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert "X-Forwarded-For" not in caplog.text
