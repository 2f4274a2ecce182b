"""Benchmark: whole supporter journeys, against a bare Django app serving the same six requests.

One command (``bench/run-journey``) does everything on a fresh PostgreSQL database with the
demo campaign:

1. serves the product with ``picketline serve`` (production settings, per-client rate limits
   lifted: every request comes from 127.0.0.1) **pinned to core 0**, its PostgreSQL backends
   pinned there too (the worker's backends, told apart by their ``application_name``, go with
   the worker to core 1); beside it, on core 0 as well and with the same gunicorn command line, the
   bare app of ``bench/journey/bare.py``;
2. on core 1: the load generator (``bench/journey/client.py``: virtual supporters sharing
   ``--connections`` keep-alive connections), the SMTP server the confirmation mails arrive at,
   and one ``picketline worker`` that sends them;
3. each virtual supporter walks journey after journey, each time with a new address, across
   the letter, event registration and video actions of the demo: GET the home page, GET the
   action page, POST its form, wait for the confirmation mail, GET the link it carries, POST
   confirm, GET the page after confirming;
4. the bare app's journey is the same six requests: four 2 KB pages, two POSTs that INSERT one
   row each (its "link" comes in the redirect, no mail);
5. the two take turns for ``--rounds`` rounds (the machine's speed drifts); it prints, for the
   median round, journeys per second, p50 and p99 of each step, errors, the ratio, and the CPU a
   journey cost in the web processes and their PostgreSQL backends (and in the worker).

    bench/run-journey [--duration 20] [--rounds 3] [--connections 16] [--supporters 64]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey.client import (  # noqa: E402
    STEPS,
    Action,
    Load,
    Mailbox,
    SmtpServer,
    Tally,
    bare_journey,
    product_journey,
)
from bench.run_letters import (  # noqa: E402
    LOAD_CORE,
    PG,
    PYTHON,
    SERVER_CORE,
    cpu_by_process,
    cpu_spent,
    free_port,
    group_pids,
    make_env,
    recreate_database,
    start,
    stop,
    wait_until_up,
)
from picketline.cli import default_threads, serve_command  # noqa: E402


def busy_share(core: str, before: tuple[int, int, int], after: tuple[int, int, int]) -> float:
    """The share of the time ``core`` was busy between two readings of ``core_load``."""
    idle = after[0] - before[0]
    total = after[2] - before[2]
    return 1 - idle / total if total else 0.0


def core_load(core: str) -> tuple[int, int, int]:
    """(idle + iowait, stolen, all) ticks of one core so far (/proc/stat)."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            ticks = [int(x) for x in line.split()[1:]]
            return ticks[3] + ticks[4], ticks[7], sum(ticks[:8])
    return 0, 0, 0


def demo_actions() -> list[Action]:
    """The demo's release letter (to a country that has recipients), its online meeting and the
    video message form, with what a supporter fills in."""
    from django.urls import reverse
    from django.utils import translation

    from picketline.events.models import Event
    from picketline.letters.models import LetterAction

    letter = LetterAction.objects.published().get(slug="release-the-unionists")
    country = next(c for c in ("DE", "FR", "GB", "NL", "LT", "PL") if letter.targets_for(c))
    event = next(e for e in Event.objects.all() if e.registration_state() == "open")
    with translation.override("en"):
        letter_path = reverse("letters:action", kwargs={"slug": letter.slug})
        event_path = reverse("events:detail", kwargs={"slug": event.slug})
        video_path = reverse("submissions:video_form")

    def person(address: str, n: int) -> dict[str, str]:
        return {"name": f"Supporter {n}", "email": address, "language": "en", "website": ""}

    return [
        Action(
            "letter",
            letter_path,
            lambda address, n: {
                **person(address, n),
                "country": country,
                "organisation": "Journey union",
                "role": "member",
                "personal_paragraph": "",
                "consent_send_in_my_name": "on",
                "step": "send",
            },
        ),
        Action(
            "registration",
            event_path,
            lambda address, n: {**person(address, n), "country": "Germany", "time_zone": ""},
        ),
        Action(
            "video",
            video_path,
            lambda address, n: {
                **person(address, n),
                "link": "https://video.example.org/watch/1",
                "text": "Free the unionists.",
                "hashtags": "#FreeBelarusUnionists",
                "display_name": "anonymous",
                "face_voice": "on",
                "country": "Germany",
            },
            as_multipart=True,
        ),
    ]


WORKER_APPLICATION = "picketline-bench-worker"


def backends_by_role(db: str) -> tuple[list[int], list[int]]:
    """The benchmark database's backends: (the web processes' ones, the worker's ones)."""
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid, application_name FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        ).fetchall()
    web = [pid for pid, name in rows if name != WORKER_APPLICATION]
    return web, [pid for pid, name in rows if name == WORKER_APPLICATION]


def web_backends(db: str) -> list[int]:
    return backends_by_role(db)[0]


def worker_backends(db: str) -> list[int]:
    return backends_by_role(db)[1]


def pin_web_backends(db: str) -> tuple[int, int]:
    """Pin the web processes' backends to the servers' core and the worker's to the load core,
    where the worker runs; returns how many of each."""
    web, worker = backends_by_role(db)
    for pids, core in ((web, SERVER_CORE), (worker, LOAD_CORE)):
        for pid in pids:
            subprocess.run(["taskset", "-p", "-c", core, str(pid)], capture_output=True)
    return len(web), len(worker)


async def run_round(make_walk, port: int, args, seconds: int, prefix: str) -> Tally:
    """``args.supporters`` virtual supporters walking journeys for ``seconds`` (after a warm-up
    of ``args.warmup`` seconds that is not counted)."""
    load = Load("127.0.0.1", port, args.connections)
    counter = itertools.count()
    deadline = time.monotonic() + args.warmup + seconds

    async def supporter() -> None:
        while time.monotonic() < deadline:
            n = next(counter)
            done = await make_walk(load, f"{prefix}-{n}@example.org", n)()
            if done:
                load.tally.all_journeys += 1
            if done and load.measuring and time.monotonic() < deadline:
                load.tally.journeys += 1

    tasks = [asyncio.create_task(supporter()) for _ in range(args.supporters)]
    await asyncio.sleep(args.warmup)
    load.measuring = True
    await asyncio.sleep(seconds)
    load.measuring = False
    await asyncio.gather(*tasks)
    while not load.pool.empty():
        load.pool.get_nowait().close()
    return load.tally


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def print_round(label: str, tally: Tally, seconds: int) -> None:
    print(
        f"  {label:<8} {tally.journeys / seconds:7.1f} journeys/s   errors "
        f"{sum(tally.errors.values())}",
        flush=True,
    )


def print_table(name: str, tally: Tally, seconds: int) -> None:
    print(f"\n{name}: {tally.journeys / seconds:.1f} journeys/s, errors {tally.errors}")
    print(f"  {'step':<12} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for step in STEPS:
        values = tally.latencies[step]
        print(
            f"  {step:<12} {len(values):>9} {percentile(values, 0.5):8.1f} "
            f"{percentile(values, 0.99):8.1f}"
        )
    for example in tally.examples:
        print(f"  e.g. {example}")


async def main_async(args, port: int, bare_port: int, smtp_port: int, server, worker, actions):
    mailbox = Mailbox()
    smtp = await asyncio.get_running_loop().create_server(
        lambda: SmtpServer(mailbox), "127.0.0.1", smtp_port
    )

    def product(load: Load, address: str, n: int):
        return product_journey(load, mailbox, actions[n % len(actions)], address, n)

    def bare(load: Load, address: str, n: int):
        return bare_journey(load, address)

    # Warm up both (imports, connections, the page cache), then pin the database backends.
    await run_round(product, port, args, 3, "w")
    await run_round(bare, bare_port, args, 3, "wb")
    pinned, apart = pin_web_backends(args.database)
    print(
        f"pinned {pinned} PostgreSQL backends to core {SERVER_CORE}, the worker's {apart} to "
        f"core {LOAD_CORE}"
    )
    servers = group_pids(server)
    server_cpu = database_cpu = worker_cpu = 0.0
    product_journeys = 0
    rounds: list[tuple[Tally, Tally, float, float]] = []
    for number in range(args.rounds):
        before = core_load(LOAD_CORE)
        bare_tally = await run_round(bare, bare_port, args, args.duration, f"b{number}")
        bare_busy = busy_share(LOAD_CORE, before, core_load(LOAD_CORE))
        pin_web_backends(args.database)
        backends = web_backends(args.database)
        workers = group_pids(worker) + worker_backends(args.database)
        server_start, database_start = cpu_by_process(servers), cpu_by_process(backends)
        worker_start = cpu_by_process(workers)
        before = core_load(LOAD_CORE)
        product_tally = await run_round(product, port, args, args.duration, f"p{number}")
        product_busy = busy_share(LOAD_CORE, before, core_load(LOAD_CORE))
        server_cpu += sum(cpu_spent(server_start, cpu_by_process(servers)))
        database_cpu += sum(cpu_spent(database_start, cpu_by_process(backends)))
        worker_cpu += sum(cpu_spent(worker_start, cpu_by_process(workers)))
        product_journeys += product_tally.all_journeys
        rounds.append((bare_tally, product_tally, bare_busy, product_busy))
        ratio = product_tally.journeys / max(1, bare_tally.journeys)
        print(
            f"round {number + 1}: bare {bare_tally.journeys / args.duration:6.1f} journeys/s "
            f"(load core {bare_busy:.0%} busy), product "
            f"{product_tally.journeys / args.duration:6.1f} journeys/s (load core "
            f"{product_busy:.0%} busy, errors {sum(product_tally.errors.values())}), "
            f"ratio {ratio:.1%}",
            flush=True,
        )
    smtp.close()

    # The round whose ratio is the median: its two tables and its ratio belong together (the
    # machine's speed drifts between rounds, so a median of each server's rate would pair
    # figures measured minutes apart).
    def ratio_of(one_round: tuple[Tally, Tally, float, float]) -> float:
        return one_round[1].journeys / max(1, one_round[0].journeys)

    middle = sorted(rounds, key=ratio_of)[len(rounds) // 2]
    bare_tally, product_tally, bare_busy, product_busy = middle
    ratio = ratio_of(middle)
    print(f"\nthe round with the median ratio, of {len(rounds)} ({args.connections} connections, "
          f"{args.supporters} virtual supporters, {args.duration} s each):")  # fmt: skip
    print_table("bare Django (4 pages of 2 KB, 2 POSTs with one INSERT)", bare_tally, args.duration)
    print_table("Picketline (letter, registration, video in turn)", product_tally, args.duration)
    print(f"\nratio of journeys/s, product / bare: {ratio:.1%}   (target: at least 30%)")
    worst = max(percentile(product_tally.latencies[s], 0.99) for s in STEPS)
    print(f"slowest step's p99: {worst:.1f} ms   (target: under 100 ms)")
    errors = sum(sum(r[1].errors.values()) for r in rounds)
    print(f"errors over all product rounds: {errors}   (target: none)")
    per = 1000 / max(1, product_journeys)
    print(
        f"CPU per journey: {server_cpu * per:.2f} ms in the web processes + "
        f"{database_cpu * per:.2f} ms in their PostgreSQL backends = "
        f"{(server_cpu + database_cpu) * per:.2f} ms; the worker (sending the mails) and its "
        f"backends {worker_cpu * per:.2f} ms more"
    )
    if max(bare_busy, product_busy) > 0.95:
        print("warning: the load core was saturated; the figures may be the client's limit")


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run-journey", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds counted per round")
    parser.add_argument("--warmup", type=int, default=5, help="seconds before counting")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16, help="requests in flight")
    parser.add_argument("--supporters", type=int, default=64, help="virtual supporters at once")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers, both servers")
    parser.add_argument("--threads", type=int, default=0, help="threads per gunicorn worker")
    parser.add_argument("--database", default="pl_bench_journey")
    args = parser.parse_args()
    if (os.cpu_count() or 1) < 2:
        sys.exit("needs two cores: the servers on core 0, the load on core 1")

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-bench-journey-"))
    port, bare_port, smtp_port = free_port(), free_port(), free_port()
    env = make_env(args.database, port, smtp_port, data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "bench.journey.settings"
    processes: list[subprocess.Popen] = []
    try:
        print(f"fresh database {args.database} with the demo campaign; data in {data_dir}")
        recreate_database(args.database)
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["load_demo"],
        ):
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

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_bare_journey "
                "(id bigserial PRIMARY KEY, email text NOT NULL)"
            )
        connection.close()

        threads = args.threads or default_threads()
        server_cmd = [
            PYTHON, "-m", "picketline.cli", "serve", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--threads", str(threads),
        ]  # fmt: skip
        bare_cmd = serve_command(f"127.0.0.1:{bare_port}", args.workers, threads)
        bare_cmd[bare_cmd.index("picketline.wsgi:application")] = "bench.journey.bare:application"
        server = start(server_cmd, env, SERVER_CORE)
        bare = start(bare_cmd, env, SERVER_CORE)
        # libpq names the worker's connections, so its backends can be told from the web's.
        worker_env = {**env, "PGAPPNAME": WORKER_APPLICATION}
        worker = start([PYTHON, "-m", "picketline.cli", "worker"], worker_env, LOAD_CORE)
        processes += [server, bare, worker]
        wait_until_up(f"http://127.0.0.1:{port}/en/", server)
        wait_until_up(f"http://127.0.0.1:{bare_port}/", bare)
        os.sched_setaffinity(0, {int(LOAD_CORE)})
        print(
            f"servers: {args.workers} gunicorn worker(s) × {threads} threads + PostgreSQL "
            f"backends on core {SERVER_CORE}; load generator, SMTP server, worker and its "
            f"backends on core {LOAD_CORE}",
            flush=True,
        )
        actions = demo_actions()
        asyncio.run(main_async(args, port, bare_port, smtp_port, server, worker, actions))
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
