"""Where a supporter journey spends its time, in-process (no gunicorn, no network, no mail).

    .venv/bin/python bench/journey/profile_journey.py [--journeys 300] [--profile STEP]

On a fresh PostgreSQL database (``pl_bench_profile_journey``) with the demo campaign, it walks
the journeys of ``bench/run-journey`` through the product's WSGI application (the page cache's
fast path and every middleware included); the confirmation link is made as the mail would make
it. Prints the CPU time per step and action, that of the connection's PostgreSQL backend per
step, and with ``--profile STEP`` the functions where that step's time goes (cProfile, by
cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey.client import STEPS, multipart  # noqa: E402
from bench.letters.profile_submit import call as call_wsgi  # noqa: E402
from bench.run_letters import PYTHON, make_env, recreate_database  # noqa: E402

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def call(application, method: str, path: str, body: bytes = b"", headers=None) -> tuple:
    """One request through the WSGI application: (status code, header pairs, body)."""
    status, _headers, pairs, content = call_wsgi(application, method, path, body, headers)
    return int(status.split()[0]), pairs, content


def cookie_of(headers) -> str | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.strip().startswith("csrftoken="):
            return value.strip().split(";", 1)[0].split("=", 1)[1]
    return None


def location_of(headers) -> str:
    return next(value for name, value in headers if name.lower() == "location")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--profile", choices=STEPS, help="profile this step")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime…)")
    parser.add_argument("--sql", choices=STEPS, help="print this step's SQL statements")
    parser.add_argument("--database", default="pl_bench_profile_journey")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-profile-journey-"))
    env = make_env(args.database, 8000, 2525, data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "bench.journey.settings"
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    recreate_database(args.database)
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run(
            [PYTHON, "-m", "picketline.cli", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from bench.run_journey import demo_actions
    from picketline.supporters import flow
    from picketline.supporters.models import action_models
    from picketline.web.content import content_version
    from picketline.wsgi import application

    actions = demo_actions()
    versions = [content_version()]
    bumps: dict[tuple[str, str], int] = defaultdict(int)
    cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
    profiler = cProfile.Profile()

    queries: dict[tuple[str, str], list[str]] = {}

    # The CPU time of this connection's PostgreSQL backend, read from /proc (the database runs
    # on this machine, as bench/run-journey assumes): clock ticks, so summed over all requests.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def backend_cpu() -> float:
        fields = backend.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    database_cpu: dict[str, float] = defaultdict(float)

    def timed(step: str, action: str, *request):
        statements: list[str] = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        database_started = backend_cpu()
        started = time.process_time()
        if step == args.profile:
            profiler.enable()
        with connection.execute_wrapper(count):
            answer = call(application, *request)
        if step == args.profile:
            profiler.disable()
        queries[(step, action)] = statements
        cpu[(step, action)].append(time.process_time() - started)
        database_cpu[step] += backend_cpu() - database_started
        if content_version() != versions[-1]:
            versions.append(content_version())
            bumps[(step, action)] += 1
        return answer

    def newest_unconfirmed():
        found = [m.objects.unconfirmed().order_by("-pk").first() for m in action_models()]
        return max((a for a in found if a is not None), key=lambda a: a.created_at)

    for n in range(args.journeys):
        action = actions[n % len(actions)]
        address = f"profile{n}@example.org"
        timed("home", action.name, "GET", "/en/")
        status, headers, body = timed("action page", action.name, "GET", action.path)
        cookie, token = cookie_of(headers), TOKEN.search(body).group(1).decode()
        jar = {"HTTP_COOKIE": f"csrftoken={cookie}"}
        fields = {"csrfmiddlewaretoken": token, **action.fields(address, n)}
        if action.as_multipart:
            content_type, form = multipart(fields)
        else:
            content_type = "application/x-www-form-urlencoded"
            form = urllib.parse.urlencode(fields).encode()
        status, headers, body = timed(
            "submit", action.name, "POST", action.path, form, {**jar, "CONTENT_TYPE": content_type}
        )
        assert status == 302, (action.name, status, body[:500])
        link = f"/en/me/confirm/{flow.action_token(newest_unconfirmed(), flow.CONFIRM)}/"
        status, headers, body = timed("open link", action.name, "GET", link, b"", jar)
        token = TOKEN.search(body).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
        status, headers, body = timed("confirm", action.name, "POST", link, form, jar)
        assert status == 302, (status, body[:500])
        status, headers, body = timed("after", action.name, "GET", location_of(headers), b"", jar)
        assert status == 200

    print(f"CPU per request, ms (median of {args.journeys // len(actions)} per action):")
    names = [a.name for a in actions]
    print(f"  {'step':<12}" + "".join(f"{name:>14}" for name in names))
    for step in STEPS:
        row = []
        for name in names:
            values = sorted(cpu[(step, name)])
            row.append(f"{values[len(values) // 2] * 1000:14.2f}")
        print(f"  {step:<12}" + "".join(row))
    print("CPU of the PostgreSQL backend per request, ms (mean of all actions, clock ticks):")
    for step in STEPS:
        print(f"  {step:<12}{database_cpu[step] * 1000 / args.journeys:14.2f}")
    print("SQL statements of the last request:")
    print(f"  {'step':<12}" + "".join(f"{name:>14}" for name in names))
    for step in STEPS:
        print(f"  {step:<12}" + "".join(f"{len(queries[(step, n)]):14}" for n in names))
    if args.sql:
        for name in names:
            print(f"\n{args.sql} ({name}):")
            for sql in queries[(args.sql, name)]:
                print(f"  {sql[:300]}")
    if bumps:
        print("requests that made every cached page stale (content version bumped):")
        for (step, name), count in sorted(bumps.items()):
            print(f"  {step} ({name}): {count}")
    if args.profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(45)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
