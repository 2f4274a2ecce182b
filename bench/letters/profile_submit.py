"""Where a letter submission spends its time, in-process (no gunicorn, no network).

    .venv/bin/python bench/letters/profile_submit.py [--requests 2000] [--profile]

On a fresh PostgreSQL database (``pl_bench_profile``) with the benchmark's action, it sends
the benchmark's POST through the product's WSGI application (every middleware included) as new
supporters, and prints the CPU time and wall time per request and the SQL statements of one
request; ``--profile`` adds the functions where the time goes (cProfile, by own time).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import resource
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_letters import make_env, recreate_database  # noqa: E402


def call(application, method: str, path: str, body: bytes = b"", headers=None) -> tuple:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        **(headers or {}),
    }
    status = []

    def start_response(code, response_headers, exc_info=None):
        status.append((code, response_headers))

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0][0], dict(status[0][1]), status[0][1], content


def backend_cpu_seconds(pid: int) -> float:
    """User + system CPU of a PostgreSQL backend (same machine), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_opcodes(work, inclusive: bool = False) -> collections.Counter:
    """How many bytecode instructions ``work()`` runs, per function (code object).

    ``inclusive`` counts for each function the instructions of everything it calls too (once
    per instruction, however often the function is on the stack): much slower.
    """
    counts = collections.Counter()

    def trace(frame, event, arg):
        if event == "call":
            frame.f_trace_opcodes = True
        elif event == "opcode":
            if inclusive:
                seen = set()
                while frame is not None:
                    seen.add(frame.f_code)
                    frame = frame.f_back
                counts.update(seen)
            else:
                counts[frame.f_code] += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--one-core", action="store_true", help="pin this process and its backend to core 0"
    )
    parser.add_argument("--database", default="pl_bench_profile")
    parser.add_argument(
        "--opcodes",
        action="store_true",
        help="count the Python bytecode instructions of a submission: slow, but the same "
        "figure whatever else the machine is doing (C code such as psycopg is not counted)",
    )
    parser.add_argument(
        "--inclusive",
        action="store_true",
        help="with --opcodes: count each function with what it calls (use few --requests)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run (no migrations: quicker under valgrind)",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-profile-"))
    env = make_env(args.database, 8000, 2525, data_dir)
    env["SITE_URL"] = "http://127.0.0.1"
    os.environ.update(env)
    if not args.reuse:
        recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from django.db import connection

    # One backend for the whole run, so its CPU can be read (gunicorn's reconnects every 60 s).
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    from bench.letters import scenario
    from picketline.letters.models import LetterAction
    from picketline.wsgi import application

    action = LetterAction.objects.filter(slug="bench").first() or scenario.create_action()
    # Addresses not used by an earlier run of the same database.
    start = int(time.time() * 1000) % 10**12 * 10**6
    path = f"/en/letters/{action.slug}/"
    status, _headers, raw_headers, html = call(application, "GET", path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    cookie = next(
        v.strip().split(";")[0].split("=", 1)[1]
        for k, v in raw_headers
        if k == "Set-Cookie" and v.strip().startswith("csrftoken=")
    )
    base = {
        "csrfmiddlewaretoken": token,
        "country": "DE",
        "language": "en",
        "organisation": "Bench union",
        "role": "member",
        "consent_send_in_my_name": "on",
        "website": "",
        "step": "send",
    }
    headers = {"HTTP_COOKIE": f"csrftoken={cookie}", "HTTP_REFERER": f"http://127.0.0.1{path}"}

    def body_of(n: int) -> bytes:
        return urllib.parse.urlencode(
            {**base, "email": f"p{start + n}@example.org", "name": f"Supporter {n}"}
        ).encode()

    bodies: dict[int, bytes] = {}

    def submit(n: int) -> None:
        body = bodies.pop(n, None) or body_of(n)
        code, *_ = call(application, "POST", path, body, headers)
        if not code.startswith("302"):
            raise SystemExit(f"request {n}: {code}")

    for n in range(50):  # warm up
        submit(n)
    import gc

    gc_time = [0.0, 0.0]

    def gc_clock(phase, info):
        if phase == "start":
            gc_time[1] = time.process_time()
        else:
            gc_time[0] += time.process_time() - gc_time[1]

    gc.callbacks.append(gc_clock)
    if os.environ.get("BENCH_GC_FREEZE"):
        gc.freeze()
    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(f"[{len(params or ())} parameters] {sql}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        submit(10**6)
    print(f"{len(statements)} SQL statements in one submission:")
    for sql in statements:
        print("   ", sql[:150])

    if args.opcodes:
        # Not counted: building the requests, and reloading the action (which a real server
        # does every few seconds, a traced one every few requests).
        bodies.update((n, body_of(n)) for n in range(100, 100 + args.requests))
        from picketline.letters import models as letter_models

        letter_models.REMEMBER_SECONDS = float("inf")
        counts = count_opcodes(
            lambda: [submit(n) for n in range(100, 100 + args.requests)], args.inclusive
        )
        total = sum(counts.values())
        if args.inclusive:
            total = counts.most_common(1)[0][1]
        for code, count in counts.most_common(120 if args.inclusive else 40):
            place = f"{code.co_filename.replace(str(ROOT), '')}:{code.co_firstlineno}"
            print(f"{count / args.requests:8,.0f}  {code.co_name}  {place}")
        print(f"\n{total / args.requests:,.0f} Python bytecode instructions per submission")
        return 0

    # CPU time, not wall time: waiting for the database is not our cost. On a shared machine
    # the best of a few rounds is the figure that means something.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    best = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    if args.one_core:
        # As in bench/run-letters: this process and its database backend share core 0.
        os.sched_setaffinity(0, {0})
        os.sched_setaffinity(backend, {0})
    for round_ in range(args.rounds):
        database_cpu = backend_cpu_seconds(backend)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        if profiler:
            profiler.enable()
        first = 100 + round_ * args.requests
        for n in range(first, first + args.requests):
            submit(n)
        if profiler:
            profiler.disable()
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_SELF)
        user = (after.ru_utime - usage.ru_utime) / args.requests * 1000
        system = (after.ru_stime - usage.ru_stime) / args.requests * 1000
        database = (backend_cpu_seconds(backend) - database_cpu) / args.requests * 1000
        figures = (user + system, user, system, wall / args.requests * 1000, database)
        best = figures if best is None or figures < best else best
    print(f"garbage collection: {gc_time[0] / (args.requests * args.rounds) * 1000:.3f} ms each")
    print(
        f"\n{args.requests} submissions, best of {args.rounds} rounds: {best[0]:.2f} ms CPU each "
        f"in this process (user {best[1]:.2f}, system {best[2]:.2f}), {best[4]:.2f} ms CPU in its "
        f"PostgreSQL backend, {best[3]:.2f} ms wall"
    )
    if profiler:
        profiler.dump_stats(str(data_dir / "submit.pstats"))
        print(f"profile saved in {data_dir / 'submit.pstats'} (python -m pstats)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
