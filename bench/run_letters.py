"""Benchmark: letters submitted and confirmed over HTTP, then sent by one worker.

One command (``bench/run-letters``) does everything on a fresh PostgreSQL database:

1. migrates, creates one letter action with one target (no throttle, sending window all day);
2. serves the product with ``picketline serve`` (gunicorn, production settings with the
   per-client rate limit lifted, see ``bench/letters/settings.py``) **pinned to core 0**, the
   PostgreSQL backends of the benchmark database pinned there too; the load generator (wrk) and
   the SMTP sink run on core 1;
3. wrk, 16 connections: every request POSTs the letter form with a valid CSRF cookie and token
   as a new supporter (a new e-mail address each time) — the product validates, rate-limits,
   stores the encrypted supporter, letter and consent, and queues the confirmation mail;
4. the same load against ``bench/letters/bare_insert.py`` (one Django view, one INSERT) served by
   the same gunicorn command line: the ratio makes the figure mean something on a noisy machine.
   The two take turns for ``--rounds`` rounds; the median is reported;
5. POSTs every confirmation link (valid signed links, as in the mails) over HTTP;
6. one ``picketline worker`` (core 0, its PostgreSQL backends too) drains the outbox into the SMTP sink: the confirmation
   mails, the letters, and ``--messages`` more letter-sized messages; it prints messages per
   second and the worker's resident memory as it goes.

    bench/run-letters [--duration 10] [--rounds 3] [--connections 16] [--workers 1]
                      [--messages 100000]
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from picketline.cli import default_threads, serve_command  # noqa: E402

SERVER_CORE = "0"
LOAD_CORE = "1"
PYTHON = sys.executable
HERE = ROOT / "bench" / "letters"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def make_env(db: str, port: int, sink_port: int, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.letters.settings",
        PYTHONPATH=str(ROOT),
        PICKETLINE_DEMO="0",
        PICKETLINE_DATA_DIR=str(data_dir),
        DATABASE_URL=f"{PG}/{db}",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        DEFAULT_FROM_EMAIL="Campaign <campaign@example.org>",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        PICKETLINE_ENCRYPTION_KEYS=f"k1:{key()}",
        PICKETLINE_INDEX_KEY=key(),
        LOG_LEVEL="WARNING",
    )
    return env


def recreate_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def pin_backends(db: str) -> int:
    """Pin the PostgreSQL backends serving the benchmark database to the server's core."""
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [db],
            )
        ]
    for pid in pids:
        subprocess.run(["taskset", "-p", "-c", SERVER_CORE, str(pid)], capture_output=True)
    return len(pids)


def pin_new_backends(db: str, known: set[int]) -> set[int]:
    """Pin the backends opened since ``known`` was read (a worker's) to the server's core."""
    new = set(backend_pids(db)) - known
    for pid in new:
        subprocess.run(["taskset", "-p", "-c", SERVER_CORE, str(pid)], capture_output=True)
    return new


def backend_pids(db: str) -> list[int]:
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [db],
            )
        ]


def group_pids(process: subprocess.Popen) -> list[int]:
    """The processes of a server started in its own session (gunicorn's master and workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == process.pid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def cpu_by_process(pids: list[int]) -> dict[int, tuple[float, float]]:
    """User and system CPU seconds of each process that still runs."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = os.sysconf("SC_CLK_TCK")
        seconds[pid] = (int(fields[11]) / ticks, int(fields[12]) / ticks)
    return seconds


def cpu_spent(
    start: dict[int, tuple[float, float]], end: dict[int, tuple[float, float]]
) -> tuple[float, float]:
    """User and system CPU seconds spent between two readings by the processes present in
    both."""
    common = start.keys() & end.keys()
    return (
        sum(end[pid][0] - start[pid][0] for pid in common),
        sum(end[pid][1] - start[pid][1] for pid in common),
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def start(command: list[str], env: dict[str, str], core: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["taskset", "-c", core, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def core_ticks(core: str) -> tuple[int, int]:
    """(time stolen by the hypervisor, all time) of one core so far, in ticks (/proc/stat)."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            ticks = [int(x) for x in line.split()[1:]]
            return ticks[7], sum(ticks[:8])
    return 0, 0


def run_wrk(script: Path, url: str, seconds: int, connections: int, env: dict[str, str]) -> dict:
    stolen_before, total_before = core_ticks(SERVER_CORE)
    command = [
        "taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
        "--timeout", "10s", "-s", str(script), url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    stolen_after, total_after = core_ticks(SERVER_CORE)
    stolen, total = stolen_after - stolen_before, total_after - total_before
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50, p99, worst = (int(x) for x in re.search(r"LATENCY (\d+) (\d+) (\d+)", output).groups())
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": int(bad.group(1)) if bad else 0,
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "max_ms": worst / 1000,
        # A share of the server's core that the machine's host gave to someone else.
        "steal": stolen / total if total else 0.0,
    }


def csrf_for(url: str) -> tuple[str, str]:
    """Open the letter form like a browser: the CSRF cookie and the form's token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return cookie, token


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run-letters", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns of the two servers (median reported)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="gunicorn workers, both servers (default: one, as the server has one core; more "
        "sync workers on one core only take turns with each other and their database backends)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="threads per gunicorn worker, both servers (default: what picketline serve uses)",
    )
    parser.add_argument("--messages", type=int, default=100_000, help="extra messages to drain")
    parser.add_argument("--database", default="pl_bench_letters")
    args = parser.parse_args()
    if (os.cpu_count() or 1) < 2:
        sys.exit("needs two cores: the server on core 0, the load on core 1")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (bench/run-home installs it)")

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-bench-letters-"))
    port, bare_port, sink_port = free_port(), free_port(), free_port()
    env = make_env(args.database, port, sink_port, data_dir)
    processes: list[subprocess.Popen] = []
    try:
        print(f"fresh database {args.database}; data in {data_dir}", flush=True)
        recreate_database(args.database)
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run(
                [PYTHON, "-m", "picketline.cli", *command], cwd=ROOT, env=env, check=True
            )
        os.environ.update(env)
        import django

        django.setup()
        from bench.letters import scenario

        action = scenario.create_action()
        scenario.create_bare_table()

        count_file = data_dir / "sink-count"
        sink = start(
            [PYTHON, str(HERE / "sink.py"), str(sink_port), str(count_file)], env, LOAD_CORE
        )
        processes.append(sink)
        server_cmd = [
            PYTHON, "-m", "picketline.cli", "serve", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers),
        ]  # fmt: skip
        if args.threads:
            server_cmd += ["--threads", str(args.threads)]
        bare_cmd = serve_command(
            f"127.0.0.1:{bare_port}", args.workers, args.threads or default_threads()
        )
        bare_cmd[bare_cmd.index("picketline.wsgi:application")] = (
            "bench.letters.bare_insert:application"
        )
        server = start(server_cmd, env, SERVER_CORE)
        bare = start(bare_cmd, env, SERVER_CORE)
        processes += [server, bare]
        form_url = f"http://127.0.0.1:{port}/en/letters/{action.slug}/"
        wait_until_up(form_url, server)
        wait_until_up(f"http://127.0.0.1:{bare_port}/", bare)

        cookie, token = csrf_for(form_url)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "country": "DE",
                "language": "en",
                "organisation": "Bench union",
                "role": "member",
                "consent_send_in_my_name": "on",
                "website": "",
                "step": "send",
            }
        )
        wrk_env = {
            **env,
            "BENCH_CSRF": cookie,
            "BENCH_TOKEN": token,
            "BENCH_BODY": body,
            "BENCH_REFERER": form_url,
        }
        print(
            f"server: {args.workers} gunicorn workers × {args.threads or default_threads()} threads"
            f" + PostgreSQL backends on core "
            f"{SERVER_CORE}; wrk ({args.connections} connections) and SMTP sink on core "
            f"{LOAD_CORE}",
            flush=True,
        )
        # Warm up both (imports, connections), then pin the database backends they opened.
        run_wrk(HERE / "submit.lua", form_url, 2, args.connections, {**wrk_env, "BENCH_RUN": "w"})
        run_wrk(
            HERE / "submit.lua", f"http://127.0.0.1:{bare_port}/", 2, args.connections,
            {**wrk_env, "BENCH_RUN": "w"},
        )  # fmt: skip
        pinned = pin_backends(args.database)
        print(f"pinned {pinned} PostgreSQL backends to core {SERVER_CORE}", flush=True)

        # The two servers take turns, round by round: this machine's speed drifts from minute
        # to minute, and a ratio of two measurements taken far apart would measure the drift.
        servers = group_pids(server)
        server_user = server_system = database_cpu = 0.0
        before = scenario.letters_stored()
        rounds: list[tuple[dict, dict]] = []
        for number in range(args.rounds):
            bare_result = run_wrk(
                HERE / "submit.lua", f"http://127.0.0.1:{bare_port}/", args.duration,
                args.connections, {**wrk_env, "BENCH_RUN": f"b{number}"},
            )  # fmt: skip
            pin_backends(args.database)
            # Read again each round: a web process reconnects after CONN_MAX_AGE (60 s).
            backends = backend_pids(args.database)
            server_start, database_start = cpu_by_process(servers), cpu_by_process(backends)
            letters_result = run_wrk(
                HERE / "submit.lua", form_url, args.duration, args.connections,
                {**wrk_env, "BENCH_RUN": f"l{number}"},
            )  # fmt: skip
            user, system = cpu_spent(server_start, cpu_by_process(servers))
            server_user, server_system = server_user + user, server_system + system
            database_cpu += sum(cpu_spent(database_start, cpu_by_process(backends)))
            rounds.append((bare_result, letters_result))
            print(
                f"round {number + 1}: bare {bare_result['rate']:6.0f} req/s "
                f"(steal {bare_result['steal']:.0%}), letters {letters_result['rate']:5.0f}/s "
                f"(p99 {letters_result['p99_ms']:.1f} ms, steal {letters_result['steal']:.0%}), "
                f"ratio {letters_result['rate'] / bare_result['rate']:.1%}",
                flush=True,
            )
        stored = scenario.letters_stored()
        # Where the core's time went, per submission: the web processes and their database
        # backends (the WAL writer and the rest of the shared server are not counted).
        per_letter = 1000 / max(1, stored - before)
        server_user, server_system = server_user * per_letter, server_system * per_letter
        database_cpu *= per_letter
        # The middle round by letters per second stands for the run.
        bare_result, letters_result = sorted(rounds, key=lambda pair: pair[1]["rate"])[
            len(rounds) // 2
        ]
        ratio = statistics.median(pair[1]["rate"] / pair[0]["rate"] for pair in rounds)
        print(f"\nmedian of {len(rounds)} rounds:")
        print(
            f"bare Django, one INSERT:   {bare_result['rate']:7.0f} req/s   "
            f"p50 {bare_result['p50_ms']:6.1f} ms   p99 {bare_result['p99_ms']:6.1f} ms"
        )
        print(
            f"letter submissions:        {letters_result['rate']:7.0f} req/s   "
            f"p50 {letters_result['p50_ms']:6.1f} ms   p99 {letters_result['p99_ms']:6.1f} ms   "
            f"(errors: {sum(pair[1]['errors'] for pair in rounds)}, letters stored: {stored})"
        )
        print(f"ratio letters / bare:      {ratio:7.1%}")
        print(
            f"CPU per submission:        {server_user + server_system:7.2f} ms in the web "
            f"processes (user {server_user:.2f}, system {server_system:.2f}), "
            f"{database_cpu:.2f} ms in their PostgreSQL backends"
        )

        links = data_dir / "links.txt"
        links.write_text("\n".join(scenario.confirmation_paths()) + "\n")
        confirm_env = {**wrk_env, "BENCH_LINKS": str(links)}
        # Long enough to POST every link once at the submission rate.
        confirm_seconds = max(2, int(stored / max(1.0, letters_result["rate"])) + 2)
        open_result = run_wrk(
            HERE / "confirm.lua", form_url, min(confirm_seconds, args.duration), args.connections,
            {**confirm_env, "BENCH_METHOD": "GET"},
        )  # fmt: skip
        print(
            f"confirmation links opened:  {open_result['rate']:7.0f} req/s   "
            f"p50 {open_result['p50_ms']:6.1f} ms   p99 {open_result['p99_ms']:6.1f} ms   "
            f"({open_result['rate'] / bare_result['rate']:.1%} of bare + INSERT)"
        )
        confirm_result = run_wrk(
            HERE / "confirm.lua", form_url, confirm_seconds, args.connections, confirm_env
        )
        confirmed = scenario.letters_confirmed()
        print(
            f"confirmation POSTs:        {confirm_result['rate']:7.0f} req/s   "
            f"p50 {confirm_result['p50_ms']:6.1f} ms   p99 {confirm_result['p99_ms']:6.1f} ms   "
            f"(letters confirmed: {confirmed} of {stored}; "
            f"{confirm_result['rate'] / bare_result['rate']:.1%} of bare + INSERT)"
        )
        stop(server)
        stop(bare)

        started = time.monotonic()
        letters = scenario.schedule_letters()
        print(f"scheduler: {letters} letters into the outbox in {time.monotonic() - started:.1f} s")
        extra = scenario.queue_extra(args.messages)
        total = scenario.unsent()
        print(f"outbox: {total} messages to send ({extra} extra letter-sized ones)", flush=True)

        # From here on the server's core holds the worker and its PostgreSQL backends only:
        # progress is read from the sink's count file, not counted in the database (a count
        # over the outbox, five times a second, would run in a backend on that core).
        count_file.write_text("0")
        known = set(backend_pids(args.database))
        worker = start([PYTHON, "-m", "picketline.cli", "worker"], env, SERVER_CORE)
        processes.append(worker)
        started = time.monotonic()
        samples: list[tuple[int, int]] = []
        next_sample = next_pin = 0.0
        deadline = started + max(120, total / 50)
        while time.monotonic() < deadline:
            done = int(count_file.read_text() or 0)
            elapsed = time.monotonic() - started
            if elapsed >= next_pin:
                known |= pin_new_backends(args.database, known)
                next_pin = elapsed + 1
            if elapsed >= next_sample:
                samples.append((done, rss_kib(worker.pid)))
                next_sample = elapsed + 2
            if done >= total:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        sent = total - scenario.unsent()
        samples.append((sent, rss_kib(worker.pid)))
        stop(worker)
        received = int(count_file.read_text() or 0) if count_file.exists() else 0
        print(
            f"worker: {sent} messages in {elapsed:.1f} s = {sent / elapsed:7.0f} messages/s "
            f"(SMTP sink received {received})"
        )
        print("worker memory (resident) as it sent:")
        step = max(1, len(samples) // 8)
        for done, kib in samples[::step] + [samples[-1]]:
            print(f"  {done:>8} sent   {kib / 1024:7.1f} MiB")
        rss = [kib for done, kib in samples if done > total * 0.1]
        if rss:
            print(f"  growth after the first 10%: {(max(rss) - min(rss)) / 1024:.1f} MiB")
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
