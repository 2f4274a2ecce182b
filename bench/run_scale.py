"""Benchmark: do a supporter's requests stay as fast with a million supporters?

    bench/run-scale [--scale 1.0] [--repeat 15] [--database pl_bench_scale] [--keep] [--reuse]

On a fresh PostgreSQL database (``pl_bench_scale``) with the demo campaign, in-process through
the product's WSGI application (every middleware, production settings with the per-client rate
limit lifted, as ``bench/letters/settings.py``), one virtual supporter after another walks every
supporter-facing request: the letter, registration and video pages, the letter and
registration submitted, their confirmation links opened and confirmed, a privacy link asked
for and opened, the privacy page, the export, a consent withdrawn, and the erasure. Each
supporter is new, so each request does the same work in both rounds: first on the database
with only the demo campaign, then after ``picketline generate_dataset --scale <scale>`` has
added a million supporters, three million actions and five million messages (at scale 1).
It prints the median time of each request in both rounds and their ratio (target: at most
1.5), then the time of the organisers' admin lists and of the retention jobs on the loaded
database. Each round runs in a process of its own, on a database of its own
(``<database>_empty``, ``<database>``); both are dropped at the end unless ``--keep``, and
``--reuse`` measures the kept loaded database again (migrated first) without rebuilding it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.letters.profile_submit import call  # noqa: E402
from bench.run_letters import PG, make_env, recreate_database  # noqa: E402

WARM_UP = 3
TARGET = 1.5


def cookies_of(raw_headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in raw_headers:
        if name == "Set-Cookie":
            key, _sep, rest = value.strip().partition("=")
            found[key] = rest.split(";")[0]
    return found


class Visitor:
    """One browser: its cookies, and the time each request took."""

    def __init__(self, application, times: dict[str, list[float]]) -> None:
        self.application = application
        self.cookies: dict[str, str] = {}
        self.times = times
        self.csrf = ""

    def request(
        self, step: str, method: str, path: str, fields: dict | None = None, expect: str = "200"
    ) -> bytes:
        body = b""
        if fields is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **fields}).encode()
        headers = {"HTTP_REFERER": f"http://127.0.0.1{path}"}
        if self.cookies:
            headers["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        status, _headers, raw_headers, content = call(self.application, method, path, body, headers)
        elapsed = (time.perf_counter() - start) * 1000
        if not status.startswith(expect):
            raise SystemExit(f"{step}: {method} {path} answered {status}, not {expect}")
        self.cookies |= cookies_of(raw_headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if token:
            self.csrf = token.group(1).decode()
        self.times.setdefault(step, []).append(elapsed)
        return content


def walk(application, scenario, email: str, times: dict[str, list[float]]) -> None:
    """Every supporter-facing request, in the order a supporter meets them."""
    from django.urls import reverse
    from django.utils import translation

    from picketline.events.models import Registration
    from picketline.letters.models import Letter
    from picketline.supporters import flow
    from picketline.supporters.models import Consent, Supporter

    visitor = Visitor(application, times)
    person = {"name": "Scale Bench", "email": email, "country": "DE", "language": "en"}
    person |= {"website": ""}
    visitor.request("letter action page", "GET", scenario["letter"])
    letter_fields = {"organisation": "Bench union", "role": "member", "step": "send"}
    letter_fields |= {"consent_send_in_my_name": "on"}
    visitor.request(
        "letter submitted", "POST", scenario["letter"], person | letter_fields, expect="302"
    )
    supporter = Supporter.objects.for_email(email)
    letter = Letter.objects.get(supporter=supporter)
    with translation.override("en"):
        confirm = reverse(
            "supporters:confirm", kwargs={"token": flow.action_token(letter, flow.CONFIRM)}
        )
    visitor.request("confirmation page", "GET", confirm)
    # Confirming answers with a redirect to the page after confirming (a cached page).
    visitor.request("letter confirmed", "POST", confirm, {}, expect="302")

    visitor.request("registration page", "GET", scenario["event"])
    visitor.request("registration submitted", "POST", scenario["event"], person, expect="302")
    registration = Registration.objects.get(supporter=supporter)
    with translation.override("en"):
        confirm = reverse(
            "supporters:confirm", kwargs={"token": flow.action_token(registration, flow.CONFIRM)}
        )
    visitor.request("registration confirmed", "POST", confirm, {}, expect="302")
    visitor.request("video form page", "GET", scenario["video"])

    with translation.override("en"):
        privacy = reverse("supporters:privacy")
        opened = reverse("supporters:privacy_open", kwargs={"token": flow.privacy_token(supporter)})
        mine = reverse("supporters:mine")
        export = reverse("supporters:export")
        erase = reverse("supporters:erase")
    visitor.request("privacy page (form)", "GET", privacy)
    visitor.request("privacy-link request", "POST", privacy, {"email": email, "website": ""})
    visitor.request("privacy link opened", "POST", opened, {}, expect="302")
    visitor.request("privacy page (mine)", "GET", mine)
    visitor.request("export", "GET", export)
    consent = Consent.objects.filter(supporter=supporter, withdrawn_at__isnull=True).first()
    with translation.override("en"):
        withdraw = reverse("supporters:withdraw", kwargs={"consent_id": consent.pk})
    visitor.request("withdraw", "POST", withdraw, {}, expect="302")
    visitor.request("erase", "POST", erase, {})


def find_scenario() -> dict[str, str]:
    """The pages the walk uses: the demo's first published letter action, an event open for
    registration, the video form."""
    from django.urls import reverse
    from django.utils import translation

    from picketline.events.models import Event
    from picketline.letters.models import LetterAction

    event = next(  # the demo's (the first made): the same page in both rounds
        e
        for e in Event.objects.published().upcoming().order_by("pk")
        if e.registration_state() == "open"
    )
    with translation.override("en"):
        return {
            "letter": reverse(
                "letters:action", kwargs={"slug": LetterAction.objects.published()[0].slug}
            ),
            "event": reverse("events:detail", kwargs={"slug": event.slug}),
            "video": reverse("submissions:video_form"),
        }


def measure(application, scenario, phase: str, repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {}
    run = int(time.time())
    for i in range(WARM_UP + repeat):
        walk(application, scenario, f"scale-{phase}-{run}-{i}@example.org", times)
        if i == WARM_UP - 1:
            times.clear()
    return {step: statistics.median(values) for step, values in times.items()}


ADMIN_LISTS = [
    ("supporters", "admin:supporters_supporter_changelist"),
    ("consents", "admin:supporters_consent_changelist"),
    ("letters", "admin:letters_letter_changelist"),
    ("deliveries", "admin:letters_delivery_changelist"),
    ("registrations", "admin:events_registration_changelist"),
    ("video messages", "admin:submissions_videomessage_changelist"),
    ("outbox", "admin:mail_outgoingmessage_changelist"),
    ("erasure log", "admin:supporters_erasurelog_changelist"),
]


def time_admin_lists(repeat: int) -> list[tuple[str, float]]:
    """Median ms of each organiser's list, first page, as a verified superuser."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(
        username=f"scale-bench-{int(time.time())}", is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    results = []
    for title, name in ADMIN_LISTS:
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue
        times = []
        for _ in range(repeat + 1):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"admin list {title}: {response.status_code}")
        results.append((title, statistics.median(times[1:])))
    return results


def time_retention() -> list[tuple[str, float, str]]:
    """Each periodic retention job once, timed (seconds), with what it did."""
    from picketline.mail.models import purge_old_mail
    from picketline.supporters import retention

    jobs: list[tuple[str, Callable[[], object]]] = [
        ("unconfirmed actions purged (supporters.retention)", retention.purge_unconfirmed),
        ("sent mail older than 30 days purged (mail)", purge_old_mail),
        ("erasure after the campaign (supporters.retention)", retention.erase_after_campaign),
    ]
    results = []
    for title, job in jobs:
        start = time.perf_counter()
        done = job()
        results.append((title, time.perf_counter() - start, f"{done:,}"))
    return results


def phase(args: argparse.Namespace) -> dict:
    """One round, in a process of its own (its settings name its database): the walks, and
    on the loaded database the admin lists and the retention jobs."""
    env = make_env(args.database, 8000, 2525, Path(tempfile.mkdtemp(prefix="picketline-scale-")))
    env["SITE_URL"] = "http://127.0.0.1"
    # A kept database opens only with the keys it was written with: they are kept beside it.
    keys = ROOT / "bench" / "results" / f"{args.database}.keys.json"
    if args.reuse:
        env |= json.loads(keys.read_text())
    else:
        keys.parent.mkdir(exist_ok=True)
        names = ("PICKETLINE_ENCRYPTION_KEYS", "PICKETLINE_INDEX_KEY", "SECRET_KEY")
        keys.unlink(missing_ok=True)
        keys.touch(mode=0o600)
        keys.write_text(json.dumps({name: env[name] for name in names}))
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from picketline.wsgi import application

    result: dict = {}
    if not args.reuse:
        recreate_database(args.database)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not args.reuse:
        call_command("load_demo", stdout=sys.stderr)
        if args.phase == "loaded":
            start = time.perf_counter()
            call_command("generate_dataset", scale=args.scale, stdout=sys.stderr)
            result["generated_seconds"] = time.perf_counter() - start
    scenario = find_scenario()
    result["requests"] = measure(application, scenario, args.phase, args.repeat)
    # Each part also goes to stderr as soon as it is known (the retention jobs can be long).
    print(json.dumps({args.phase: result["requests"]}), file=sys.stderr, flush=True)
    if args.phase == "loaded":
        result["admin"] = time_admin_lists(max(3, args.repeat // 5))
        print(json.dumps({"admin": result["admin"]}), file=sys.stderr, flush=True)
        result["retention"] = time_retention()
    return result


def run_phase(args: argparse.Namespace, name: str, database: str, reuse: bool) -> dict:
    command = [sys.executable, __file__, "--phase", name, "--database", database]
    command += ["--scale", str(args.scale), "--repeat", str(args.repeat)]
    if reuse:
        command.append("--reuse")
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def drop_database(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the dataset (1: 1 M)")
    parser.add_argument("--repeat", type=int, default=15, help="supporters walked per round")
    parser.add_argument("--database", default="pl_bench_scale")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database kept by --keep (migrated)"
    )
    parser.add_argument("--phase", choices=["empty", "loaded"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        json.dump(phase(args), sys.stdout)
        return 0

    empty = run_phase(args, "empty", f"{args.database}_empty", reuse=False)
    drop_database(f"{args.database}_empty")
    loaded = run_phase(args, "loaded", args.database, reuse=args.reuse)
    if not args.keep:
        drop_database(args.database)

    print()
    if "generated_seconds" in loaded:
        print(
            f"Dataset at scale {args.scale}: written in {loaded['generated_seconds'] / 60:.1f} min"
        )
    print(f"{'request':<26}{'empty ms':>10}{'loaded ms':>11}{'ratio':>8}  target ≤ {TARGET}×")
    worst = 0.0
    for step, ms in empty["requests"].items():
        after = loaded["requests"][step]
        ratio = after / ms
        worst = max(worst, ratio)
        mark = "ok" if ratio <= TARGET else "SLOW"
        print(f"{step:<26}{ms:>10.1f}{after:>11.1f}{ratio:>8.2f}  {mark}")
    print()
    print(f"{'organisers list (loaded)':<26}{'ms':>10}")
    for title, ms in loaded["admin"]:
        print(f"{title:<26}{ms:>10.1f}")
    print()
    for title, seconds, done in loaded["retention"]:
        print(f"{title}: {seconds:.1f} s ({done})")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
