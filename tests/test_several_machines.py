"""Two machines, as far as one test can make them: two web servers (``picketline serve``) and two
workers, each machine with its own data folder and port, against one PostgreSQL database, one
Redis, one SMTP server and one S3 server (moto's), all on loopback. Uploads go to S3 buckets;
no folder is shared between the machines. What one machine does, the other sees: an organiser's edit empties
the other's cached pages, rate limits count the hits on both, a session opened on one works on
the other; a video is processed by exactly one worker, and no mail goes twice.

Needs PostgreSQL (the run's DATABASE_URL names the server; the test makes its own database),
``redis-server`` and ffmpeg; a missing one fails the test."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_otp.oath import totp

from picketline.lib.crypto import new_environment_lines
from tests.fixtures.s3 import client_for, new_buckets
from tests.fixtures.smtp import Inbox

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20  # seconds for one request
START_TIMEOUT = 240  # to set up the database and boot two servers and two workers on two cores
WORK_TIMEOUT = 180  # for the workers to send every mail, process a video

SET_UP = """
import json, secrets
from picketline.cli import main

main(["migrate", "--no-input", "--verbosity", "0"])
main(["load_demo"])

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

username, password = "organiser-" + secrets.token_hex(4), secrets.token_urlsafe(16)
user = get_user_model().objects.create_user(
    username, password=password, is_staff=True, is_superuser=True
)
device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
print(json.dumps({"username": username, "password": password, "totp_key": device.bin_key.hex()}))
"""

EDIT_CAMPAIGN = """
import sys
from picketline.cli import _setup_django

_setup_django()
from picketline.campaigns.models import Campaign

campaign = Campaign.objects.order_by("pk").first()
campaign.title = sys.argv[1]
campaign.save()
"""

QUEUE_MAIL = """
import sys
from picketline.cli import _setup_django

_setup_django()
from picketline.mail.models import OutgoingMessage

OutgoingMessage.objects.bulk_create(
    OutgoingMessage.build(to=[f"reader-{n}@example.org"], subject=f"Letter {n}", text="t", kind="t")
    for n in range(int(sys.argv[1]))
)
"""

APPROVE_A_VIDEO = """
import shutil, subprocess, sys
from django.utils import timezone
from picketline.cli import _setup_django

_setup_django()
from django.contrib.auth import get_user_model
from picketline.submissions import storage
from picketline.submissions.models import VideoMessage
from picketline.supporters.models import Consent, Supporter

subprocess.run([
    "ffmpeg", "-nostdin", "-v", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", sys.argv[1],
], check=True)
supporter, _ = Supporter.get_or_create_for_email("ana@example.org", name="Ana Example")
video = VideoMessage.objects.create(
    supporter=supporter, text="Solidarity", display_name=VideoMessage.DisplayName.FIRST_AND_COUNTRY,
    public_name="Ana, Germany", original=storage.keep_original(sys.argv[1], "mp4"),
    confirmed_at=timezone.now(),
)
Consent.record(supporter, Consent.Purpose.PUBLISH_FACE_VOICE, "publish", "en", "/", action=video)
video.decide(get_user_model().objects.get(is_superuser=True), "approve")
print(video.pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Machine:
    name: str
    port: int
    data_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return "".join(
            f"--- {self.name} {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.data_dir.glob("*.log"))
        )

    def run(self, script: str, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self, *command: str, log: str) -> None:
        with (self.data_dir / log).open("wb") as out:
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "picketline.cli", *command],
                    cwd=ROOT,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # stopped as one group at the end
                )
            )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Visitor:
    """One browser, which may be sent to either machine (as a load balancer would)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, machine: Machine, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Answer:
        sent = {"Host": "127.0.0.1", **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        client = http.client.HTTPConnection("127.0.0.1", machine.port, timeout=TIMEOUT)
        try:
            client.request(method, path, body=body, headers=sent)
            response = client.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            client.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def post_form(self, machine: Machine, path: str, fields: dict[str, str]) -> Answer:
        page = self.request(machine, "GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, (path, page.status)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        return self.request(
            machine,
            "POST",
            path,
            body,
            **{"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://127.0.0.1"},
        )


def wait_for(what: str, condition, timeout: float, machines: list[Machine]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {timeout} s\n" + "".join(m.logs() for m in machines))


def answers(machine: Machine, path: str) -> bool:
    try:
        return Visitor().request(machine, "GET", path).status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A database of its own on the run's PostgreSQL server; its URL."""
    if connection.vendor != "postgresql":
        pytest.fail("this test needs DATABASE_URL to name a PostgreSQL server")
    db = connection.settings_dict
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    name = f"picketline_machines_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{urllib.parse.quote(server['password'])}" if server["password"] else ""
    try:
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis(tmp_path_factory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed (Debian package redis-server)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def machines(tmp_path_factory, postgres, redis, smtp, s3_endpoint) -> Iterator[list[Machine]]:
    inbox, smtp_port = smtp
    _buckets, media_environ = new_buckets(s3_endpoint, tmp_path_factory.mktemp("s3-keys"))
    kept = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    common = {
        **kept,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "picketline.settings",
        "PICKETLINE_DEMO": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **dict(line.split("=", 1) for line in new_environment_lines()),
        "DATABASE_URL": postgres,
        "REDIS_URL": redis,
        "PICKETLINE_MACHINES": "2",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": "Campaign <campaign@example.org>",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        **media_environ,  # each machine's media folders are its own, in its data folder
        "WEB_THREADS": "1",
    }
    started = []
    for name in ("a", "b"):
        data_dir = tmp_path_factory.mktemp(f"machine-{name}")
        port = free_port()
        env = {**common, "PICKETLINE_DATA_DIR": str(data_dir), "SITE_URL": "http://127.0.0.1"}
        started.append(Machine(name, port, data_dir, env))
    try:
        facts = json.loads(started[0].run(SET_UP).strip().splitlines()[-1])
        for machine in started:
            machine.facts = facts
            machine.start("serve", "--bind", f"127.0.0.1:{machine.port}", "--workers", "1",
                          log="web.log")  # fmt: skip
            machine.start("worker", "--interval", "0.2", log="worker.log")
        for machine in started:
            wait_for(f"machine {machine.name} answering", lambda m=machine: answers(m, "/en/"),
                     START_TIMEOUT, started)  # fmt: skip
        yield started
    finally:
        for machine in started:
            machine.stop()


def test_both_machines_see_both_workers_alive(machines):
    def both_ready() -> bool:
        return all("worker ok" in Visitor().request(m, "GET", "/readyz").text for m in machines)

    wait_for("both workers' heartbeats", both_ready, WORK_TIMEOUT, machines)
    for machine in machines:
        assert (machine.data_dir / "content-version").exists() is False  # it lives in Redis


def test_an_edit_on_one_machine_reaches_the_pages_the_other_has_cached(machines):
    a, b = machines
    visitor = Visitor()
    first = visitor.request(b, "GET", "/en/")
    assert first.status == 200
    assert visitor.request(b, "GET", "/en/").body == first.body  # from b's page cache
    title = f"Free them all {secrets.token_hex(3)}"
    assert title not in first.text

    a.run(EDIT_CAMPAIGN, title)

    assert title in Visitor().request(b, "GET", "/en/").text
    assert title in Visitor().request(a, "GET", "/en/").text


def test_rate_limits_count_the_hits_on_both_machines(machines):
    address = f"kari-{secrets.token_hex(4)}@union.example"
    statuses = []
    for n in range(10):
        body = json.dumps(
            {
                "name": "Kari Nordmann",
                "email": address,
                "organisation": f"Fagforbundet avd. {n}",
                "org_country": "Norway",
                "kind": "union",
                "members": 1200,
                "statement": "Free them.",
            }
        ).encode()
        answer = Visitor().request(
            machines[n % 2],
            "POST",
            "/api/v1/endorsements",
            body,
            **{"Content-Type": "application/json"},
        )
        statuses.append(answer.status)
    # Five an hour for one address (supporters.abuse), wherever the requests land.
    assert statuses == [202] * 5 + [429] * 5


def test_a_session_opened_on_one_machine_works_on_the_other(machines):
    a, b = machines
    organiser = Visitor()
    facts = a.facts
    answer = organiser.post_form(
        a,
        "/admin/login/",
        {"username": facts["username"], "password": facts["password"], "next": "/admin/"},
    )
    assert answer.status == 302, answer.status
    verify = answer.headers["Location"]
    code = f"{totp(bytes.fromhex(facts['totp_key'])):06d}"
    answer = organiser.post_form(b, verify, {"token": code})  # the second step on the other
    assert answer.status == 302, answer.status
    assert organiser.request(b, "GET", "/admin/").status == 200
    assert organiser.request(a, "GET", "/admin/").status == 200
    assert Visitor().request(b, "GET", "/admin/").status == 302  # without the session: log in


def test_every_mail_goes_once_though_two_workers_send(machines, smtp):
    inbox, _port = smtp
    a, b = machines
    already = len(inbox.messages)
    b.run(QUEUE_MAIL, "150")

    def all_sent() -> bool:
        return sum(1 for m in inbox.messages[already:] if m["Subject"].startswith("Letter ")) >= 150

    wait_for("150 letters sent", all_sent, WORK_TIMEOUT, machines)
    time.sleep(2)  # a duplicate would arrive now
    letters = [m for m in inbox.messages if str(m["Subject"]).startswith("Letter ")]
    assert len(letters) == 150
    assert max(Counter(m["Message-ID"] for m in letters).values()) == 1
    assert {str(m["Subject"]) for m in letters} == {f"Letter {n}" for n in range(150)}


def test_a_video_is_processed_by_exactly_one_worker(machines, postgres, tmp_path):
    a, b = machines
    s3 = client_for(a.env["MEDIA_S3_ENDPOINT_URL"])

    def videos() -> set[str]:
        listing = s3.list_objects_v2(Bucket=a.env["MEDIA_S3_BUCKET"], Prefix="submissions/videos/")
        return {item["Key"] for item in listing.get("Contents", [])}

    before = videos()
    video_id = int(a.run(APPROVE_A_VIDEO, str(tmp_path / "upload.mp4")).strip().splitlines()[-1])

    def task_runs() -> list[tuple[str, list[str]]]:
        with psycopg.connect(postgres) as db:
            return db.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
                "WHERE task_path LIKE %s AND args_kwargs::text LIKE %s",
                ["%process_video", f"%[{video_id}]%"],
            ).fetchall()

    def finished() -> bool:  # the task's result is written just after the video is saved
        runs = task_runs()
        return bool(runs) and all(status in ("SUCCESSFUL", "FAILED") for status, _ in runs)

    wait_for("the video processed", finished, WORK_TIMEOUT, machines)
    runs = task_runs()
    with psycopg.connect(postgres) as db:
        processing, token, video = db.execute(
            "SELECT processing, public_token, video FROM submissions_videomessage WHERE id = %s",
            [video_id],
        ).fetchone()
    assert processing == "done"
    assert len(runs) == 1
    status, worker_ids = runs[0]
    assert status == "SUCCESSFUL" and len(worker_ids) == 1
    made = videos() - before
    assert made == {f"submissions/{video}"}  # one copy made, by one worker
    for machine in machines:  # either machine serves it from the bucket
        answer = Visitor().request(machine, "GET", f"/media/submissions/videos/{token}.mp4")
        assert answer.status == 200 and answer.body[4:8] == b"ftyp"
