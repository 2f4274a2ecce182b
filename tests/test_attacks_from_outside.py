"""Every attack of issue 15, re-run from outside: real servers on loopback, a production-mode
one (``picketline serve`` with production settings) and a demo one (``picketline demo``), each
with its own data folder and SQLite file. Each attack must fail: the answer refuses it or does
no harm, and the server's log files and database show nothing of it afterwards.

Timing (issue 15, item 5) is measured by ``bench/run-timing``, not here."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.parse
import uuid
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from django_otp.oath import totp

from picketline.lib.crypto import new_environment_lines

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20  # seconds for any one request
START_TIMEOUT = 120  # seconds to set up and boot both servers (they take turns on two cores)
LETTER_ACTION = "release-the-unionists"  # a letter action of the demo content
HOSTED_REPORT = "/en/events/hosted/report/"

# Run in the server's environment after the data folder is ready: an organiser with an
# authenticator outside demo mode, and an approved hosted action whose host may report back.
SET_UP_SCRIPT = """
import json, secrets, sys
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from picketline.cli import main

demo = sys.argv[1] == "demo"
if demo:
    main(["demo", "--no-serve", "--port", sys.argv[2]])
else:
    main(["migrate", "--no-input", "--verbosity", "0"])
    main(["load_demo"])

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.events.models import HostedAction
from picketline.supporters.models import Supporter

if demo:
    from picketline.demo.account import ensure_demo_organiser

    username, password = ensure_demo_organiser(settings.DATA_DIR)
    totp_key = ""
else:
    username, password = "organiser-" + secrets.token_hex(4), secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp_key = device.bin_key.hex()

vilnius = ZoneInfo("Europe/Vilnius")
host, _ = Supporter.get_or_create_for_email("host@example.org", name="Host")
action = HostedAction.objects.create(
    supporter=host,
    title="Vigil in Vilnius",
    country="LT",
    city="Vilnius",
    place="At the embassy",
    latitude=Decimal("54.6872"),
    longitude=Decimal("25.2797"),
    # It took place yesterday: a host reports only after the action.
    starts_at=(datetime.now(vilnius) - timedelta(days=1)).replace(microsecond=0),
    ends_at=(datetime.now(vilnius) - timedelta(days=1, hours=-1)).replace(microsecond=0),
    time_zone="Europe/Vilnius",
    expected_size=10,
    contact="+370 600 00000",
)
action.confirm()
action.approve()
print(json.dumps({
    "username": username,
    "password": password,
    "totp_key": totp_key,
    "report_token": action.report_token(),
    "database": str(settings.DATABASES["default"]["NAME"]),
    "uploads": str(settings.SUBMISSIONS_PRIVATE_ROOT / "uploads"),
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(data_dir: Path, port: int) -> dict[str, str]:
    """Only what a shell gives any program: none of the test run's own settings (its
    DATABASE_URL, its keys, its DJANGO_SETTINGS_MODULE) reach the server."""
    kept = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    return {
        **kept,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "picketline.settings",
        "PICKETLINE_DATA_DIR": str(data_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "WEB_THREADS": "1",
    }


def production_env(data_dir: Path, port: int) -> dict[str, str]:
    return {
        **base_env(data_dir, port),
        "PICKETLINE_DEMO": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "mailbox:",
        "DEFAULT_FROM_EMAIL": "Campaign <campaign@example.org>",
        **dict(line.split("=", 1) for line in new_environment_lines()),
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{data_dir / 'production.sqlite3'}",
    }


def demo_env(data_dir: Path, port: int) -> dict[str, str]:
    return {**base_env(data_dir, port), "PICKETLINE_DEMO": "1"}


@dataclass
class Site:
    """A running server and what the tests need to know about it."""

    mode: str
    port: int
    data_dir: Path
    env: dict[str, str]
    facts: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.data_dir / "access.log"  # gunicorn's stdout

    @property
    def error_log(self) -> Path:
        return self.data_dir / "error.log"  # gunicorn's and Django's stderr

    def uploads_left(self) -> list[Path]:
        """The uploads still in the temporary folder once every request has finished: the
        server deletes a refused one when it closes the request, just after the answer."""
        folder = Path(self.facts["uploads"])
        deadline = time.monotonic() + TIMEOUT
        while any(folder.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(folder.iterdir())

    def count(self, table: str) -> int:
        with closing(sqlite3.connect(self.facts["database"], timeout=10)) as db:
            return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def logs(self) -> str:
        return self.access_log.read_text(errors="replace") + self.error_log.read_text(
            errors="replace"
        )


def set_up(site: Site) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SET_UP_SCRIPT, site.mode, str(site.port)],
        cwd=ROOT,
        env=site.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def serve(site: Site) -> None:
    with site.access_log.open("wb") as out, site.error_log.open("wb") as err:
        site.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "picketline.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{site.port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=site.env,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: stopped as one at the end
        )


def wait_until_up(site: Site, deadline: float) -> None:
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            pytest.fail(
                f"the {site.mode} server exited with {site.process.returncode}:\n"
                + site.error_log.read_text(errors="replace")[-3000:]
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
            connection.request("GET", "/en/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    pytest.fail(f"the {site.mode} server did not answer within {START_TIMEOUT} s")


def stop(site: Site) -> None:
    if site.process is None or site.process.poll() is not None:
        return
    os.killpg(site.process.pid, signal.SIGTERM)
    try:
        site.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(site.process.pid, signal.SIGKILL)
        site.process.wait()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, Site]]:
    """Both servers, set up side by side, each started once for the module."""
    started = {}
    for mode, make_env in (("production", production_env), ("demo", demo_env)):
        data_dir = tmp_path_factory.mktemp(mode)
        port = free_port()
        started[mode] = Site(mode, port, data_dir, make_env(data_dir, port))
    setting_up: dict[str, subprocess.Popen] = {}
    try:
        deadline = time.monotonic() + START_TIMEOUT
        setting_up.update((mode, set_up(site)) for mode, site in started.items())
        for mode, process in setting_up.items():
            try:
                output, _ = process.communicate(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            if process.returncode != 0:
                pytest.fail(f"setting up the {mode} server failed:\n{output[-3000:]}")
            started[mode].facts = json.loads(output.strip().splitlines()[-1])
        for site in started.values():
            serve(site)
        for site in started.values():
            wait_until_up(site, deadline)
        yield started
    finally:
        for process in setting_up.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        for site in started.values():
            stop(site)


@pytest.fixture(scope="module", params=["production", "demo"])
def site(request, sites) -> Site:
    return sites[request.param]


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self) -> dict:
        return json.loads(self.body)


class Visitor:
    """One browser: keeps the cookies the site sets (the Secure ones too: loopback is the one
    place where production cookies travel without TLS) and names the site in Origin and
    Referer as a browser posting the site's own form does."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Answer:
        sent = {"Host": f"127.0.0.1:{self.site.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def form_token(self, path: str) -> str:
        """GET the page of a form: its hidden CSRF token (and the CSRF cookie)."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token in {path}"
        return match.group(1)

    def post_form(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes]] | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        encoding: str = "utf-8",
    ) -> Answer:
        data = {"csrfmiddlewaretoken": self.form_token(path), **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = multipart(boundary, data, files)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(data, encoding=encoding).encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": content_type,
                "Origin": self.site.url,
                "Referer": self.site.url + path,
            },
        )


def form_errors(answer: Answer) -> list[str]:
    """The errors a form page shows, for a failing assertion's message."""
    return [answer.status, *re.findall(r'class="field__error"[^>]*>([^<]*)<', answer.text)]


def multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG of ``width`` × ``height`` black RGB pixels (1.2 GB decoded) in about 1 MB.

    The same run of rows compresses to the same bytes after a full flush, so it is compressed
    once and repeated; the checksum is taken row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + 3 * width)  # filter byte, then the pixels
    rows_per_block = 500
    assert height % rows_per_block == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(row * rows_per_block) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    checksum = 1
    for _ in range(height):
        checksum = zlib.adler32(row, checksum)
    pixels = b"\x78\xda" + block * (height // rows_per_block) + final + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def endorsement(**overrides: object) -> dict:
    return {
        "name": "Kari Nordmann",
        "email": f"kari-{secrets.token_hex(4)}@union.example",
        "organisation": "Fagforbundet avd. 1",
        "org_country": "Norway",
        "kind": "union",
        "members": 1200,
        "statement": "Free them.",
        **overrides,
    }


def api_request(
    site: Site, method: str, path: str, body: bytes | None = None, **headers: str
) -> Answer:
    answer = Visitor(site).request(method, path, body, headers)
    assert answer.headers.get_all("Set-Cookie") is None, (method, path)
    return answer


ENDORSEMENTS = "/api/v1/endorsements"


# 1. The API's write


def test_a_cross_site_form_post_to_the_api_queues_no_mail(site):
    outbox, endorsements = site.count("mail_outgoingmessage"), site.count("submissions_endorsement")
    form = endorsement()
    bodies = {
        "application/x-www-form-urlencoded": urllib.parse.urlencode(form).encode(),
        "text/plain": json.dumps(form).encode(),
        "multipart/form-data; boundary=b0": multipart(
            "b0", {k: str(v) for k, v in form.items()}, {}
        ),
    }
    for content_type, body in bodies.items():
        answer = api_request(
            site,
            "POST",
            ENDORSEMENTS,
            body,
            **{"Content-Type": content_type, "Origin": "https://evil.example"},
        )
        assert answer.status == 415, (content_type, answer.status)
        assert not any(name.lower().startswith("access-control-") for name in answer.headers)
    assert site.count("mail_outgoingmessage") == outbox
    assert site.count("submissions_endorsement") == endorsements
    # The same endorsement as JSON, as a partner's program sends it, is taken (and counted).
    answer = api_request(
        site,
        "POST",
        ENDORSEMENTS,
        json.dumps(form).encode(),
        **{"Content-Type": "application/json"},
    )
    assert answer.status == 202, answer.text
    assert site.count("submissions_endorsement") == endorsements + 1


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", [ENDORSEMENTS, "/api/v1/prisoners", "/api/v1/"])
def test_other_methods_on_the_api_answer_a_json_405(site, method, path):
    answer = api_request(site, method, path, b"{}", **{"Content-Type": "application/json"})
    assert answer.status == 405
    assert answer.headers["Content-Type"].startswith("application/json")
    answer.json()


@pytest.mark.parametrize(
    "body",
    ['{"members": ' + "9" * 5000 + "}", '{"statement": ' + "[" * 9000 + "]" * 9000 + "}"],
    ids=["5000 digits", "9000 deep"],
)
def test_an_outsized_json_body_is_a_400(site, body):
    before = site.count("submissions_endorsement")
    answer = api_request(
        site, "POST", ENDORSEMENTS, body.encode(), **{"Content-Type": "application/json"}
    )
    assert answer.status == 400
    answer.json()
    assert site.count("submissions_endorsement") == before


def test_reading_the_api_sets_no_cookie(site):
    for path in ("/api/v1/", "/api/v1/prisoners", ENDORSEMENTS, "/api/v1/openapi.json"):
        assert api_request(site, "GET", path).status == 200


# 2. Control characters in names and titles


@pytest.mark.parametrize("character", ["\r\n", "\n", "\x00"], ids=["CRLF", "LF", "NUL"])
def test_a_name_with_a_control_character_is_refused(site, character):
    path = f"/en/letters/{LETTER_ACTION}/"
    letters, outbox = site.count("letters_letter"), site.count("mail_outgoingmessage")

    def letter(name: str) -> Answer:
        return Visitor(site).post_form(
            path,
            {
                "name": name,
                "email": f"ana-{secrets.token_hex(4)}@example.org",
                "country": "DE",
                "language": "en",
                "consent_send_in_my_name": "on",
                "website": "",
                "step": "send",
            },
        )

    refused = letter(f"Ana{character}Bcc: victim@example.org")
    assert refused.status in {200, 400}, refused.status  # the form again, with the error
    assert "Please write this on one line, without control characters." in refused.text
    assert site.count("letters_letter") == letters
    assert site.count("mail_outgoingmessage") == outbox
    api = api_request(
        site,
        "POST",
        ENDORSEMENTS,
        json.dumps(endorsement(name=f"Kari{character}Bcc: victim@example.org")).encode(),
        **{"Content-Type": "application/json"},
    )
    assert api.status == 400 and "name" in api.json()["fields"]
    assert site.count("mail_outgoingmessage") == outbox
    # The same letter with a plain name goes through: the refusal was the name's.
    taken = letter("Ana Example")
    assert taken.status == 302, form_errors(taken)
    assert site.count("letters_letter") == letters + 1


# 3. Input no page can use


@pytest.mark.parametrize(
    "path", [f"/en/letters/{LETTER_ACTION}/?country=%00", "/en/submit/videos/?tag=%00"]
)
def test_a_nul_in_a_query_is_a_400(site, path):
    assert Visitor(site).get(path).status == 400


def test_a_form_posted_in_latin_1_is_a_400(site):
    path = "/en/me/keep-me-informed/"
    visitor = Visitor(site)
    answer = visitor.post_form(
        path,
        {"name": "J\xe9r\xf4me", "email": "j@example.org", "consent_organiser_updates": "on"},
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
        encoding="iso-8859-1",
    )
    assert answer.status == 400


def test_a_hosted_action_in_year_1_is_refused(site):
    before = site.count("events_hostedaction")
    answer = Visitor(site).post_form(
        "/en/events/hosted/propose/",
        {
            "name": "Ana",
            "email": f"ana-{secrets.token_hex(4)}@example.org",
            "language": "en",
            "title": "Picket",
            "city": "Berlin",
            "place": "Embassy",
            "starts_at": "0001-01-01T10:00",
            "ends_at": "0001-01-01T11:00",
            "expected_size": "5",
            "contact": "+49 1",
            "website": "",
        },
    )
    assert answer.status == 400
    assert "between the years 2000 and 2100" in answer.text
    assert site.count("events_hostedaction") == before
    # The organisers' list of hosted actions still opens.
    assert Visitor(site).get("/en/events/hosted/").status == 200


# 5. Uploads


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb()


def test_a_decompression_bomb_in_a_hosted_report_is_refused(site, bomb):
    path = f"{HOSTED_REPORT}{site.facts['report_token']}/"
    reports = site.count("events_hostedreport")
    answer = Visitor(site).post_form(
        path, {"participants": "3", "text": "Short."}, files={"photos": ("p.png", bomb)}
    )
    assert answer.status == 400, answer.status
    assert "megapixels" in answer.text
    assert site.count("events_hostedreport") == reports
    assert Visitor(site).get("/en/").status == 200
    assert site.uploads_left() == []


def test_a_decompression_bomb_in_an_action_report_is_refused(site, bomb):
    reports = site.count("submissions_actionreport")
    answer = Visitor(site).post_form(
        "/en/submit/report/",
        {
            "kind": "picket",
            "report_country": "Germany",
            "happened_on": "2024-05-01",
            "title": "A picket",
            "text": "We stood at the embassy.",
            "name": "Ana",
            "email": f"ana-{secrets.token_hex(4)}@example.org",
            "country": "DE",
            "language": "en",
            "website": "",
        },
        files={"photos": ("p.png", bomb)},
    )
    assert answer.status == 400, answer.status
    assert "megapixels" in answer.text
    assert site.count("submissions_actionreport") == reports
    assert Visitor(site).get("/en/").status == 200
    assert site.uploads_left() == []


# 6. The log-in throttle


def test_bad_log_ins_with_random_usernames_lock_out_no_organiser(site):
    attacker = Visitor(site)
    for _ in range(5):
        answer = attacker.post_form(
            "/admin/login/", {"username": secrets.token_hex(6), "password": "guess"}
        )
        assert answer.status == 200, answer.status
    organiser = Visitor(site)
    answer = organiser.post_form(
        "/admin/login/",
        {"username": site.facts["username"], "password": site.facts["password"], "next": "/admin/"},
    )
    assert answer.status == 302, answer.status
    if site.mode == "production":
        verify = answer.headers["Location"]
        assert verify.startswith("/admin/otp/verify/"), verify
        code = f"{totp(bytes.fromhex(site.facts['totp_key'])):06d}"
        answer = organiser.post_form(verify, {"token": code})
        assert answer.status == 302, answer.status
    assert answer.headers["Location"] == "/admin/"
    assert organiser.get("/admin/").status == 200


# 4. Logs (last: they hold every attack above too)


def test_the_logs_hold_no_forged_line_address_or_token(site):
    token = secrets.token_urlsafe(24)
    marker = f"forged{secrets.token_hex(4)}"
    forged = urllib.parse.quote(f'\n{marker} "GET /admin/ HTTP/1.1" 200 0 0.1s\n', safe="")
    visitor = Visitor(site)
    paths = [
        f"/en/no-such-page/{forged}/",
        f"/en/no-such-page/{marker}%00%1b[2J/",
        f"/en/me/confirm/{token}/",
        f"/en/me/privacy/open/{token}/",
        f"/en/events/r/{token}/",
    ]
    for path in paths:
        assert visitor.get(path).status < 500, path
    # Django logs a refused CSRF check with the path, a token in it.
    csrf = visitor.request("POST", f"/en/me/confirm/{token}/", b"", {"Origin": site.url})
    assert csrf.status == 403
    # A request line gunicorn refuses before Django sees it.
    with socket.create_connection(("127.0.0.1", site.port), timeout=TIMEOUT) as raw:
        raw.sendall(f"GET /en/{token}/\r\nHost: x\r\n\r\n".encode())
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    # The last line to be written: once it is there, so is every line before it.
    deadline = time.monotonic() + TIMEOUT
    while "Invalid request from" not in site.error_log.read_text(errors="replace"):
        assert time.monotonic() < deadline, "gunicorn did not log the refused request"
        time.sleep(0.1)
    while marker not in site.access_log.read_text(errors="replace"):
        assert time.monotonic() < deadline, "the access log has no line for the requests"
        time.sleep(0.1)

    access = site.access_log.read_text(errors="replace").splitlines()
    line = re.compile(r'"[A-Z]+ \S.* HTTP/1\.[01]" \d{3} (\d+|-) \d+\.\d+s')
    assert access and all(line.fullmatch(entry) for entry in access), access
    errors = site.error_log.read_text(errors="replace")
    assert "Invalid request from ip=[address]" in errors
    logs = site.logs()
    assert "127.0.0.1" not in logs  # the client's address (and the server's)
    assert token not in logs
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", logs)
    assert not any(entry.startswith(marker) for entry in logs.splitlines())
