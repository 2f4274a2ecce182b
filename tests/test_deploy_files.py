"""The files docs/deploy.md installs (deploy/): systemd units that systemd accepts and rates as
well sandboxed, that hand the secrets over as files the settings read; a Caddy configuration
whose health check is our readiness page; an environment example naming only real settings."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ["picketline-web.service", "picketline-worker.service"]
SETTINGS_SOURCE = (ROOT / "picketline" / "settings.py").read_text()


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is needed to check the units (Debian package systemd)")
    return found


@pytest.fixture
def installed(tmp_path) -> dict[str, Path]:
    """The units as installed, their program replaced by one that exists on this machine."""
    program = tmp_path / "picketline"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    copies = {}
    for unit in UNITS:
        text = (
            (DEPLOY / unit).read_text().replace("/opt/picketline/venv/bin/picketline", str(program))
        )
        copies[unit] = tmp_path / unit
        copies[unit].write_text(text)
    return copies


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_accepts_the_unit(installed, unit):
    result = subprocess.run(
        [systemd_analyze(), "verify", str(installed[unit])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert unit not in result.stderr, result.stderr  # no warning about the unit itself


@pytest.mark.parametrize("unit", UNITS)
def test_the_unit_is_well_sandboxed(installed, unit):
    result = subprocess.run(
        [systemd_analyze(), "security", "--offline=yes", "--no-pager", str(installed[unit])],
        capture_output=True,
        text=True,
    )
    exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert exposure, result.stdout + result.stderr
    assert float(exposure.group(1)) <= 2.0, result.stdout  # systemd's "OK" band


@pytest.mark.parametrize(("unit", "command"), list(zip(UNITS, ["serve", "worker"], strict=True)))
def test_the_unit_runs_its_command_with_the_secrets_as_files(unit, command):
    text = (DEPLOY / unit).read_text()
    assert re.search(rf"^ExecStart=\S+/picketline {command}\b", text, re.M)
    assert "Restart=always" in text
    for variable in ("SECRET_KEY", "PICKETLINE_ENCRYPTION_KEYS", "PICKETLINE_INDEX_KEY"):
        assert f"Environment={variable}_FILE=/etc/picketline/keys/" in text
        assert f'env_secret("{variable}")' in SETTINGS_SOURCE  # which reads NAME_FILE too
        assert not re.search(rf"^Environment={variable}=", text, re.M)


def test_the_command_wrapper_runs_commands_as_the_services_run():
    wrapper = (DEPLOY / "picketline").read_text()
    assert subprocess.run(["sh", "-n", str(DEPLOY / "picketline")]).returncode == 0
    web = (DEPLOY / "picketline-web.service").read_text()
    for line in re.findall(r"^Environment=(\S+)$", web, re.M):
        assert f"-E {line}" in wrapper
    for setting in ("User", "EnvironmentFile", "UMask", "WorkingDirectory"):
        value = re.search(rf"^{setting}=(\S+)$", web, re.M).group(1)
        assert value in wrapper, setting


def test_the_proxys_health_check_is_the_readiness_page():
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    uri = re.search(r"health_uri (\S+)", caddyfile).group(1)
    assert resolve(uri).url_name == "readyz"
    assert re.search(r"^\s*log\b", caddyfile, re.M) is None  # no access log of addresses


def test_the_environment_example_names_only_real_settings():
    example = (DEPLOY / "picketline.env.example").read_text()
    names = re.findall(r"^#? ?([A-Z][A-Z_]+)=", example, re.M)
    assert "TRUSTED_PROXIES" in names and "REDIS_URL" in names
    for name in names:
        assert f'"{name}"' in SETTINGS_SOURCE, name
