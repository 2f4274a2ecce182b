"""Fault suite: the product under load while PostgreSQL, SMTP, Redis, the disk and its own
processes fail, one fault after another; prints a table.

One command (``bench/run-faults``), loopback only, nothing shared touched:

1. starts its own PostgreSQL (initdb in a temporary folder, as the user postgres when run as
   root), its own Redis, its own SMTP server (``bench/faults/smtp.py``, told what to answer),
   and mounts a small tmpfs for uploads (the disk-full case);
2. migrates a fresh database, creates one letter action, serves the product with
   ``picketline serve`` (production settings, per-client rate limits lifted:
   ``bench/faults/settings.py``) and runs one ``picketline worker``, restarted when it exits as
   systemd's ``Restart=always`` would;
3. for each fault: a few client threads post letters (a new supporter each) before, during and
   after it; then the suite waits until the outbox has nothing left to send, and compares what
   clients were told was accepted with the rows in the database, and the outbox with the
   Message-IDs the SMTP server received.

    bench/run-faults [--only pg-restart,smtp-421,...] [--clients 4] [--hold 15]

Exit status 1 when a promise is broken: an action or a mail lost, a traceback or a hang past
the client's timeout, a mail sent more than once per crash.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults.load import TIMEOUT, Answer, LetterLoad, classify, failure_name, open_form  # noqa: E402
from bench.faults.services import OwnPostgres, OwnRedis, SmallDisk  # noqa: E402
from bench.faults.smtp import ScriptableSmtp  # noqa: E402

PYTHON = sys.executable
DATABASE = "picketline_faults"
LEASE_SECONDS = 20  # PICKETLINE_OUTBOX_LEASE_SECONDS: a killed worker's batch goes again after it
DRAIN_SECONDS = 240  # how long the outbox may take to empty after a fault


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def product_env(base: Path, disk: Path, pg: OwnPostgres, redis: OwnRedis, smtp_port: int,
                port: int) -> dict[str, str]:  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.faults.settings",
        PYTHONPATH=str(ROOT),
        PICKETLINE_DEMO="0",
        PICKETLINE_DATA_DIR=str(base / "data"),
        # What a video upload writes (the upload itself, the original, the published copy)
        # goes to the small filesystem.
        TMPDIR=str(disk / "tmp"),
        PICKETLINE_PRIVATE_MEDIA_ROOT=str(disk / "private"),
        MEDIA_ROOT=str(disk / "media"),
        DATABASE_URL=f"{pg.url}/{DATABASE}",
        REDIS_URL=redis.url,
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DEFAULT_FROM_EMAIL="Campaign <campaign@example.org>",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        PICKETLINE_ENCRYPTION_KEYS=f"k1:{key()}",
        PICKETLINE_INDEX_KEY=key(),
        PICKETLINE_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        LOG_LEVEL="CRITICAL",
    )
    return env


class Supervised:
    """A process restarted a second after it exits (systemd's Restart=always, RestartSec=1)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen | None = None
        self.exits: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.keep_running, daemon=True)

    def spawn(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                start_new_session=True,
            )  # fmt: skip

    def start(self) -> None:
        self.spawn()
        self.thread.start()

    def keep_running(self) -> None:
        while not self.stopping.is_set():
            code = self.process.wait()
            if self.stopping.is_set():
                return
            self.exits.append(code)
            time.sleep(1)
            self.spawn()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        self.stopping.set()
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_until_up(url: str, seconds: float = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


@dataclass
class Fault:
    name: str
    what: str
    begin: Callable[[], None]
    end: Callable[[], None]
    hold: float
    during: Callable[[], None] | None = None  # called every second of the hold
    # The fault cuts the worker's database connection: a message the SMTP server took just
    # before cannot be marked sent, and goes again once its claim runs out (one crash).
    cuts_connections: bool = False


@dataclass
class Row:
    fault: str
    before: float = 0.0
    during: float = 0.0
    got: Counter = field(default_factory=Counter)
    tracebacks: int = 0
    hangs: int = 0
    web_back: float | None = None
    mail_back: float | None = None
    actions_lost: int = 0
    mails_lost: int = 0
    mails_duplicated: int = 0
    crashes: int = 0
    notes: list[str] = field(default_factory=list)


def rate(answers: list[Answer], start: float, end: float) -> float:
    accepted = sum(1 for a in answers if a.what == "accepted" and start <= a.ended < end)
    return accepted / max(0.001, end - start)


class Suite:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.base = Path(tempfile.mkdtemp(prefix="picketline-faults-"))
        os.chmod(self.base, 0o755)  # the postgres user walks into its folder
        self.pg = OwnPostgres(self.base, free_port())
        self.redis = OwnRedis(self.base, free_port())
        self.smtp = ScriptableSmtp()
        self.disk = SmallDisk(self.base)
        self.port = free_port()
        self.rows: list[Row] = []
        self.web: subprocess.Popen | None = None
        self.worker: Supervised | None = None
        self.mail_before = None
        self.video_path = self.base / "clip.mp4"

    # --- set-up ---------------------------------------------------------------------------

    def set_up(self) -> None:
        print(f"folder {self.base}", flush=True)
        self.pg.create()
        self.pg.create_database(DATABASE)
        self.redis.start()
        smtp_port = self.smtp.start()
        self.disk_note = self.disk.mount()
        for folder in ("tmp", "private", "media"):
            (self.disk.path / folder).mkdir(exist_ok=True)
        print(
            f"own PostgreSQL on {self.pg.port}, own Redis on {self.redis.port}, SMTP on "
            f"{smtp_port}; disk: {self.disk_note}",
            flush=True,
        )
        self.env = product_env(self.base, self.disk.path, self.pg, self.redis, smtp_port, self.port)
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run(
                [PYTHON, "-m", "picketline.cli", *command], cwd=ROOT, env=self.env, check=True
            )
        os.environ.update(self.env)
        import django

        django.setup()
        from bench.faults import accounting
        from bench.letters import scenario

        self.accounting = accounting
        action = scenario.create_action()
        self.form_path = f"/en/letters/{action.slug}/"
        self.web = subprocess.Popen(
            [PYTHON, "-m", "picketline.cli", "serve", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.args.web_workers)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(self.base / "web.log", "ab"), start_new_session=True,
        )  # fmt: skip
        self.worker = Supervised(
            [PYTHON, "-m", "picketline.cli", "worker"], self.env, self.base / "worker.log"
        )
        self.worker.start()
        url = f"http://127.0.0.1:{self.port}{self.form_path}"
        wait_until_up(url)
        cookie, token = open_form(url)
        self.load = LetterLoad(self.port, self.form_path, cookie, token, self.args.clients)
        self.mail_before = self.accounting.tally_mail(self.smtp.counts())
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
             "-i", "testsrc2=size=320x240:rate=25:duration=4", "-pix_fmt", "yuv420p",
             "-c:v", "libx264", "-preset", "ultrafast", str(self.video_path)],
            check=True,
        )  # fmt: skip

    def tear_down(self) -> None:
        if self.worker:
            self.worker.stop()
        if self.web and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            try:
                self.web.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.web.pid, signal.SIGKILL)
        self.smtp.stop()
        self.redis.stop()
        self.pg.destroy()
        self.disk.unmount()
        if self.args.keep:
            print(f"kept {self.base}")
        else:
            shutil.rmtree(self.base, ignore_errors=True)

    # --- the faults -----------------------------------------------------------------------

    def faults(self) -> list[Fault]:
        hold = self.args.hold

        def smtp_mode(mode: str) -> Callable[[], None]:
            return lambda: setattr(self.smtp, "mode", mode)

        def kill_a_web_process() -> None:
            workers = children(self.web.pid)
            if workers:
                os.kill(random.choice(workers), signal.SIGKILL)

        ticks = Counter()

        def every(seconds: int, action: Callable[[], None]) -> Callable[[], None]:
            def tick() -> None:
                ticks[action] += 1
                if ticks[action] % seconds == 0:
                    action()

            return tick

        faults = [
            Fault(
                "pg-restart",
                "PostgreSQL restarted during load",
                self.pg.restart,
                noop,
                0,
                cuts_connections=True,
            ),  # fmt: skip
            Fault(
                "pg-terminate",
                "all PostgreSQL connections terminated",
                lambda: self.pg.terminate_connections(DATABASE),
                noop,
                0,
                cuts_connections=True,
            ),
            Fault(
                "pg-down",
                "PostgreSQL down for 30 s",
                self.pg.stop,
                self.pg.start,
                30,
                cuts_connections=True,
            ),  # fmt: skip
            Fault("smtp-421", "SMTP answers 421", smtp_mode("421"), smtp_mode("ok"), hold),
            Fault("smtp-451", "SMTP answers 451", smtp_mode("451"), smtp_mode("ok"), hold),
            Fault("smtp-550", "SMTP answers 550", smtp_mode("550"), smtp_mode("ok"), hold),
            Fault(
                "smtp-hang",
                "SMTP hangs mid-message",
                smtp_mode("hang"),
                smtp_mode("ok"),
                hold,
            ),  # fmt: skip
            Fault("redis-stopped", "Redis stopped", self.redis.stop, self.redis.start, hold),
            Fault(
                "redis-frozen",
                "Redis frozen (SIGSTOP): connects, never answers",
                self.redis.freeze,
                self.redis.thaw,
                hold,
            ),  # fmt: skip
            Fault(
                "web-kill",
                "web processes killed (SIGKILL) every 2 s",
                noop,
                noop,
                hold,
                during=every(2, kill_a_web_process),
            ),  # fmt: skip
            Fault(
                "worker-kill",
                "the worker killed (SIGKILL) every 3 s",
                noop,
                noop,
                hold,
                during=every(3, self.worker.kill),
            ),  # fmt: skip
        ]
        if self.disk.mounted:
            faults.append(Fault("disk-full", "the disk full while videos upload", noop, noop, hold))
        return faults

    def run_fault(self, fault: Fault) -> Row:
        print(f"\n{fault.name}: {fault.what}", flush=True)
        row = Row(fault.what)
        exits_before = len(self.worker.exits)
        self.load.start()
        started = time.monotonic()
        time.sleep(self.args.before)
        fault_start = time.monotonic()
        uploads: list[Answer] = []
        if fault.name == "disk-full":
            self.disk.fill()
        fault.begin()
        while time.monotonic() - fault_start < fault.hold:
            if fault.during:
                fault.during()
            if fault.name == "disk-full":
                uploads.append(self.upload_video())
            time.sleep(max(0.0, 1 - (time.monotonic() - fault_start) % 1))
        if fault.name == "disk-full":
            self.disk.free()
        fault.end()
        fault_end = time.monotonic()
        # The web is back at the first letter accepted after the fault ended.
        deadline = fault_end + 120
        while time.monotonic() < deadline:
            if fault.name == "disk-full":
                uploads.append(self.upload_video())
                if uploads[-1].what == "video accepted":
                    break
            elif any(
                a.what == "accepted" and a.started >= fault_end for a in list(self.load.answers)
            ):
                break
            time.sleep(0.2)
        time.sleep(self.args.after)
        answers = self.load.stop()
        stopped = time.monotonic()
        # For the disk, the first video accepted; for everything else, the first letter.
        wanted = "video accepted" if fault.name == "disk-full" else "accepted"
        back = [a.ended - fault_end for a in answers + uploads
                if a.what == wanted and a.started >= fault_end]  # fmt: skip
        row.web_back = min(back) if back else None
        row.before = rate(answers, started, fault_start)
        row.during = rate(answers, fault_start, max(fault_end, fault_start + 1))
        in_fault = [a for a in answers + uploads if a.started < (fault_end + (row.web_back or 0))
                    and a.ended >= fault_start]  # fmt: skip
        row.got = Counter(a.what for a in in_fault)
        row.tracebacks = sum(a.traceback for a in answers + uploads)
        row.hangs = sum(1 for a in answers + uploads if a.ended - a.started >= TIMEOUT)
        accepted = [a.email for a in answers if a.what == "accepted"]
        row.actions_lost = self.accounting.letters_missing(accepted)
        if fault.name == "disk-full":
            row.actions_lost += self.disk_report(uploads, row)
        # The outbox must empty: what the load queued goes out, whatever the fault did.
        drained = self.wait_for_outbox()
        row.mail_back = None if drained is None else drained - fault_end
        tally = self.accounting.tally_mail(self.smtp.counts())
        change = tally - self.mail_before
        self.mail_before = tally
        row.mails_lost = change.lost + (tally.waiting if drained is None else 0)
        row.mails_duplicated = change.duplicated
        exits = len(self.worker.exits) - exits_before
        row.crashes = exits + fault.cuts_connections
        if change.failed:
            row.notes.append(f"{change.failed} refused for good (5xx), as designed")
        if exits and fault.name != "worker-kill":
            row.notes.append(f"worker exited {exits}× and was restarted")
        if fault.name == "worker-kill":
            row.notes.append(f"worker killed {exits}×")
        if drained is None:
            row.notes.append(f"{tally.waiting} mails still waiting after {DRAIN_SECONDS} s")
        print(
            f"  letters accepted {len(accepted)} of {len(answers)}; clients got "
            f"{dict(row.got)}; web back after "
            f"{'-' if row.web_back is None else f'{row.web_back:.1f} s'}; outbox empty after "
            f"{'-' if row.mail_back is None else f'{row.mail_back:.1f} s'}; "
            f"in {stopped - started:.0f} s",
            flush=True,
        )
        return row

    def wait_for_outbox(self) -> float | None:
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            try:
                if self.accounting.waiting_mail() == 0:
                    return time.monotonic()
            except Exception as exc:  # the suite's own reading while PostgreSQL comes back
                print(f"  (outbox not readable yet: {type(exc).__name__})", flush=True)
            time.sleep(0.5)
        return None

    # --- the disk-full case ---------------------------------------------------------------

    def upload_video(self) -> Answer:
        """One supporter sends a video with the form, as a browser does."""
        import http.client

        number = random.randrange(10**9)
        email = f"video{number}@example.org"
        started = time.monotonic()
        try:
            cookie, token = open_form(f"http://127.0.0.1:{self.port}/en/submit/video/")
            boundary = secrets.token_hex(16)
            fields = {
                "csrfmiddlewaretoken": token, "name": f"Video {number}", "email": email,
                "country": "DE", "language": "en", "display_name": "first_country",
                "face_voice": "on", "website": "",
            }  # fmt: skip
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                .encode() for name, value in fields.items()
            ]  # fmt: skip
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="video"; '
                f'filename="clip.mp4"\r\nContent-Type: video/mp4\r\n\r\n'.encode()
                + self.video_path.read_bytes() + b"\r\n"
            )  # fmt: skip
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            connection.request(
                "POST", "/en/submit/video/", body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Cookie": f"csrftoken={cookie}",
                 "Referer": f"http://127.0.0.1:{self.port}/en/submit/video/"},
            )  # fmt: skip
            response = connection.getresponse()
            what, traceback = classify(response.status, response.headers, response.read())
            connection.close()
        except (OSError, http.client.HTTPException) as exc:
            what, traceback = failure_name(exc), False
        return Answer(started, time.monotonic(), f"video {what}", email, traceback)

    def disk_report(self, uploads: list[Answer], row: Row) -> int:
        accepted = [a for a in uploads if a.what == "video accepted"]
        lost = self.accounting.videos_missing([a.email for a in accepted])
        private = self.disk.path / "private"
        files = {str(p.relative_to(private)) for p in private.rglob("*") if p.is_file()}
        stray = files - self.accounting.video_files_named()
        # Uploads in flight are temporary files: none may stay behind a refused upload.
        stray |= {str(p) for p in (self.disk.path / "tmp").rglob("*") if p.is_file()}
        if stray:
            row.notes.append(
                f"{len(stray)} stray files left on the disk: {', '.join(sorted(stray))}"
            )
        refused = sum(1 for a in uploads if a.what != "video accepted")
        row.notes.append(
            f"{len(uploads)} videos sent: {refused} refused while the disk was full, "
            f"{len(accepted)} accepted once it had room"
        )
        return lost

    # --- the report -----------------------------------------------------------------------

    def table(self) -> str:
        lines = [
            "| fault | letters/s before → during | what clients got while it lasted | "
            "tracebacks / hangs | web back after | outbox empty after | actions lost | "
            "mails lost | mails duplicated (crashes) | notes |",
            "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in self.rows:
            got = ", ".join(f"{what} {count}" for what, count in row.got.most_common())
            lines.append(
                f"| {row.fault} | {row.before:.0f} → {row.during:.0f} | {got} | "
                f"{row.tracebacks} / {row.hangs} | "
                f"{'—' if row.web_back is None else f'{row.web_back:.1f} s'} | "
                f"{'—' if row.mail_back is None else f'{row.mail_back:.1f} s'} | "
                f"{row.actions_lost} | {row.mails_lost} | {row.mails_duplicated} "
                f"({row.crashes}) | {'; '.join(row.notes)} |"
            )
        return "\n".join(lines)

    def broken(self) -> list[str]:
        problems = []
        for row in self.rows:
            if row.actions_lost or row.mails_lost:
                problems.append(f"{row.fault}: actions or mails lost")
            if row.tracebacks or row.hangs:
                problems.append(f"{row.fault}: a traceback or a hang")
            if row.mails_duplicated > row.crashes:
                problems.append(f"{row.fault}: more duplicates than crashes")
            if row.web_back is None:
                problems.append(f"{row.fault}: the web did not come back")
            if row.mail_back is None:
                problems.append(f"{row.fault}: the outbox did not empty")
            unclear = [w for w in row.got if w.startswith(("HTTP 5", "video HTTP 5"))
                       or "without Retry-After" in w]  # fmt: skip
            if unclear:
                problems.append(f"{row.fault}: {', '.join(unclear)}")
        return problems


def noop() -> None:
    pass


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run-faults", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated fault names")
    parser.add_argument("--clients", type=int, default=4, help="client threads posting letters")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--hold", type=int, default=15, help="seconds most faults last")
    parser.add_argument("--before", type=float, default=3, help="seconds of load before")
    parser.add_argument("--after", type=float, default=3, help="seconds of load after recovery")
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs)")
    args = parser.parse_args()
    for program in ("redis-server", "redis-cli", "ffmpeg"):
        if not shutil.which(program):
            sys.exit(f"{program} is missing")
    suite = Suite(args)
    try:
        suite.set_up()
        chosen = {name for name in args.only.split(",") if name}
        faults = [f for f in suite.faults() if not chosen or f.name in chosen]
        if chosen - {f.name for f in faults}:
            sys.exit(f"no such fault here: {', '.join(sorted(chosen - {f.name for f in faults}))}")
        for fault in faults:
            suite.rows.append(suite.run_fault(fault))
    finally:
        suite.tear_down()
    print(f"\n{len(suite.rows)} faults, {args.clients} clients posting letters, "
          f"{args.web_workers} web processes, one worker; disk: {suite.disk_note}\n")  # fmt: skip
    print(suite.table())
    problems = suite.broken()
    print("\n" + ("\n".join(f"BROKEN {p}" for p in problems) if problems else "every promise held"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
