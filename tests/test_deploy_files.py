"""The files docs/deploy.md installs (deploy/): systemd units that systemd accepts and rates as
well sandboxed, that hand the secrets over as files the settings read; a Caddy configuration
that Caddy accepts, whose health check is our readiness page, and that does in a running Caddy
what the docs say; an environment example naming only real settings."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
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


# --- Caddy -----------------------------------------------------------------------------------

SITE = "picketline.test"


def caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.fail("caddy is needed to check deploy/Caddyfile (Debian package caddy)")
    return found


def caddyfile_for(site: str) -> str:
    """deploy/Caddyfile as docs/deploy.md installs it: the site's name in place of
    campaign.example."""
    return (DEPLOY / "Caddyfile").read_text().replace("campaign.example", site)


def caddy_env(folder: Path) -> dict[str, str]:
    """Caddy keeps its state (certificates, autosaved configuration) under these folders."""
    return {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder)}  # fmt: skip


def test_caddy_accepts_the_caddyfile_as_formatted(tmp_path):
    config = tmp_path / "Caddyfile"
    config.write_text(caddyfile_for(SITE))
    command = [caddy(), "validate", "--adapter", "caddyfile", "--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, env=caddy_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
    formatted = subprocess.run([caddy(), "fmt", str(DEPLOY / "Caddyfile")], capture_output=True,
                               text=True, check=True)  # fmt: skip
    assert formatted.stdout == (DEPLOY / "Caddyfile").read_text()  # as `caddy fmt` writes it


def adapted(tmp_path) -> dict:
    config = tmp_path / "Caddyfile"
    config.write_text(caddyfile_for(SITE))
    command = [caddy(), "adapt", "--adapter", "caddyfile", "--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, env=caddy_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def handlers(route_list: list[dict]) -> list[dict]:
    """Every handler of these routes, subroutes included, in order."""
    found = []
    for route in route_list:
        for handler in route.get("handle", []):
            found.append(handler)
            found.extend(handlers(handler.get("routes", [])))
    return found


def test_caddy_reads_the_proxy_settings_the_docs_describe(tmp_path):
    config = adapted(tmp_path)
    [server] = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]  # HTTPS, certificates from ACME
    assert config["apps"]["tls"]["automation"]["policies"][0]["subjects"] == [SITE]
    assert "logs" not in server  # no access log: no visitor's address written down
    chain = handlers(server["routes"])
    by_name = {handler["handler"]: handler for handler in chain}
    names = [handler["handler"] for handler in chain]
    assert names.index("request_body") < names.index("reverse_proxy")
    assert by_name["request_body"]["max_size"] > settings.SUBMISSIONS_VIDEO_MAX_BYTES
    proxy = by_name["reverse_proxy"]
    assert [upstream["dial"] for upstream in proxy["upstreams"]] == ["127.0.0.1:8000"]
    assert "headers" not in proxy  # X-Forwarded-* as Caddy sets them, nothing rewritten
    active = proxy["health_checks"]["active"]
    assert resolve(active["uri"]).url_name == "readyz"
    assert active["headers"] == {"Host": [SITE], "X-Forwarded-Proto": ["https"]}
    errors = handlers(server["errors"]["routes"])
    [answer] = [h for h in errors if h["handler"] == "static_response"]
    [retry] = [h for h in errors if h["handler"] == "headers"]
    assert answer["status_code"] == 503
    assert retry["response"]["set"]["Retry-After"] == ["60"]


class Backend(http.server.ThreadingHTTPServer):
    """Stands in for `picketline serve`: records what each request arrived with."""

    def __init__(self):
        self.seen: list[tuple[str, dict[str, str]]] = []
        super().__init__(("127.0.0.1", 0), BackendHandler)


class BackendHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        headers = {"Content-Type": "text/html; charset=utf-8"}
        status, body = 200, b"<p>A page of the campaign.</p>" * 100
        if self.path == "/video":
            status, body = 206, bytes(1000)
            headers = {"Content-Type": "video/mp4", "Content-Range": "bytes 0-999/5000"}
        elif self.path == "/busy":  # the site's own 503 (web.unavailable)
            status, body = 503, b"the site's own page"
            headers = {"Content-Type": "text/plain", "Retry-After": "7"}
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": SITE, **headers})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.servers
def test_a_running_caddy_forwards_as_the_docs_say_and_answers_503_while_the_site_is_down(
    tmp_path,
):
    """The Caddyfile as installed, with two changes to run on loopback without a certificate:
    plain HTTP on a free port, and the upstream where the stand-in server listens."""
    backend = Backend()
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    port = free_port()
    text = caddyfile_for(SITE).replace(f"{SITE} {{", f"http://{SITE}:{port} {{", 1)
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{backend.server_address[1]}")
    text = text.replace("{\n", "{\n\tadmin off\n\tdefault_bind 127.0.0.1\n", 1)
    (tmp_path / "Caddyfile").write_text(text)
    log = (tmp_path / "caddy.log").open("w+")
    process = subprocess.Popen(
        [caddy(), "run", "--adapter", "caddyfile", "--config", str(tmp_path / "Caddyfile")],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=caddy_env(tmp_path),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "caddy.log").read_text()
            try:
                page = ask(
                    port, "/", **{"X-Forwarded-For": "203.0.113.9", "Accept-Encoding": "gzip"}
                )
                break
            except OSError:
                assert time.monotonic() < deadline, "Caddy did not listen"
                time.sleep(0.1)

        # Its health check asks the readiness page as the site, over HTTPS.
        readyz = [headers for path, headers in backend.seen if path == "/readyz"]
        assert readyz and readyz[0]["host"] == SITE
        assert readyz[0]["x-forwarded-proto"] == "https"
        # A page is forwarded with the visitor's own address, never one the visitor made up,
        # and compressed on its way back.
        assert page.status == 200 and page.getheader("Content-Encoding") == "gzip"
        forwarded = backend.seen[-1][1]
        assert forwarded["x-forwarded-for"] == "127.0.0.1"
        assert forwarded["x-forwarded-proto"] == "http"  # https in production
        assert forwarded["host"] == SITE
        # A video's part goes back as the site sent it: not compressed, its range intact.
        part = ask(port, "/video", **{"Range": "bytes=0-999", "Accept-Encoding": "gzip"})
        assert part.status == 206 and part.getheader("Content-Encoding") is None
        assert part.getheader("Content-Range") == "bytes 0-999/5000" and len(part.body) == 1000
        # The site's own 503 page reaches the visitor unchanged.
        busy = ask(port, "/busy")
        assert (busy.status, busy.getheader("Retry-After"), busy.body) == (
            503,
            "7",
            b"the site's own page",
        )

        # The web servers stopped (an upgrade): Caddy's own 503, with when to come back.
        backend.shutdown()
        backend.server_close()
        down = ask(port, "/letters/release/")
        assert down.status == 503
        assert down.getheader("Retry-After") == "60"
        assert b"try again" in down.body
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = (tmp_path / "caddy.log").read_text()
    assert "http.log.access" not in output and "203.0.113.9" not in output  # no access log
