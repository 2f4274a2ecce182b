"""Benchmark: the campaign's public pages — the home page and every page with a form — served
by ``picketline serve`` against a bare Django page.

Both servers run under gunicorn with the same settings (``picketline.cli.serve_command``), pinned
to core 0; wrk runs pinned to core 1 and talks over loopback only. The campaign runs with the demo
data on SQLite in a throw-away data folder. Rounds alternate bare / each page so that load from
other users of the machine hits all alike; the best round of each is compared. wrk sends no
cookie: every request is a new visitor, who gets a CSRF token and cookie of their own on each
page with a form (the costlier case).

    bench/run-home [--duration 10] [--rounds 3] [--connections 8] [--workers 2] [--path /en/ …]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from picketline.cli import serve_command  # noqa: E402

SERVER_CORE = "0"
LOAD_CORE = "1"
GOAL = 0.70  # the home page
FORM_GOAL = 0.50  # a page with a form
PAGES = [
    "/en/",
    "/en/letters/release-the-unionists/",
    "/en/letters/ilo-resolution-2023/",
    "/en/letters/ilo-thematic-meeting/",
    "/en/events/online-meeting-day-of-action/",
    "/en/submit/video/",
    "/en/submit/endorse/",
    "/en/submit/report/",
    "/en/events/hosted/propose/",
    "/en/me/privacy/",
    "/en/me/resend/",
    "/en/me/keep-me-informed/",
]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        sys.exit("wrk is missing: sudo apt-get install wrk")
    print("installing wrk (Debian package)", flush=True)
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=apt).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=apt, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=apt, check=True)
    return shutil.which("wrk") or sys.exit("could not install wrk")


def demo_env(data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        PICKETLINE_DEMO="1",
        PICKETLINE_DATA_DIR=str(data_dir),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )
    return env


def wait_until_up(url: str, process: subprocess.Popen, deadline_seconds: float = 60) -> bytes:
    deadline = time.monotonic() + deadline_seconds
    while process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return response.read()
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer 200 within {deadline_seconds:.0f} s")
        time.sleep(0.2)
    raise SystemExit(f"the server for {url} exited with status {process.returncode}")


class Server:
    def __init__(self, command: list[str], env: dict[str, str], url: str) -> None:
        self.url = url
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the access log: one line per request, as in production
            stderr=self.log,
            start_new_session=True,
        )

    def __enter__(self) -> Server:
        try:
            self.body = wait_until_up(self.url, self.process)
        except SystemExit:
            self.log.seek(0)
            sys.stderr.write(self.log.read().decode(errors="replace")[-3000:])
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_wrk(wrk: str, url: str, duration: int, connections: int) -> float:
    command = ["taskset", "-c", LOAD_CORE, wrk, "-t1", f"-c{connections}", f"-d{duration}s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    socket_errors = re.search(r"Socket errors: .*", output)
    if socket_errors and re.search(r"(connect|read|write|timeout) [1-9]", socket_errors.group(0)):
        print(f"  note: {socket_errors.group(0)}", flush=True)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run-home", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both servers)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads (both servers)")
    parser.add_argument(
        "--path",
        action="append",
        dest="paths",
        help="a page to measure (again for more; default: the home page and every form page)",
    )
    args = parser.parse_args()
    args.paths = args.paths or PAGES
    if args.duration < 1 or args.rounds < 1 or not 1 <= args.connections <= 256:
        parser.error("duration and rounds must be positive, connections between 1 and 256")
    if (os.cpu_count() or 1) < 2:
        sys.exit("needs two cores: the server on core 0, wrk on core 1")
    wrk = ensure_wrk()

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-bench-"))
    home_port, bare_port = free_port(), free_port()
    env = demo_env(data_dir, home_port)
    try:
        print(f"setting up the demo in {data_dir}", flush=True)
        subprocess.run(
            [PYTHON, "-m", "picketline.cli", "demo", "--no-serve", "--port", str(home_port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        home_cmd = [
            PYTHON, "-m", "picketline.cli", "serve",
            "--bind", f"127.0.0.1:{home_port}",
            "--workers", str(args.workers), "--threads", str(args.threads),
        ]  # fmt: skip
        bare_cmd = serve_command(f"127.0.0.1:{bare_port}", args.workers, args.threads)
        bare_cmd[bare_cmd.index("picketline.wsgi:application")] = "bench.bare.app:application"
        home_url = f"http://127.0.0.1:{home_port}{args.paths[0]}"
        bare_url = f"http://127.0.0.1:{bare_port}/"
        urls = {path: f"http://127.0.0.1:{home_port}{path}" for path in args.paths}

        results: dict[str, list[float]] = {"bare": [], **{path: [] for path in args.paths}}
        sizes: dict[str, int] = {}
        with Server(bare_cmd, env, bare_url) as bare, Server(home_cmd, env, home_url):
            print(f"bare page: {len(bare.body)} bytes")
            print(
                f"gunicorn: {args.workers} worker(s) x {args.threads} thread(s) on core "
                f"{SERVER_CORE}; wrk: {args.connections} connections on core {LOAD_CORE}",
                flush=True,
            )
            for path, url in urls.items():
                with urllib.request.urlopen(url, timeout=10) as response:
                    sizes[path] = len(response.read())
            for url in (bare_url, *urls.values()):  # warm up: imports, caches in every worker
                run_wrk(wrk, url, 2, args.connections)
            for round_number in range(1, args.rounds + 1):
                for name, url in (("bare", bare_url), *urls.items()):
                    rate = run_wrk(wrk, url, args.duration, args.connections)
                    results[name].append(rate)
                    print(f"  round {round_number}: {name:<42} {rate:8.0f} req/s", flush=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    bare_best = max(results["bare"])
    ratios = {path: max(results[path]) / bare_best for path in args.paths}
    print(f"\n{'page':<42} {'bytes':>7} {'req/s':>8} {'ratio':>7} {'goal':>6}")
    print(f"{'bare Django page':<42} {2048:>7} {bare_best:8.0f}")
    for path in args.paths:
        goal = GOAL if path.count("/") <= 2 else FORM_GOAL
        mark = "" if ratios[path] >= goal else "  below the goal"
        print(
            f"{path:<42} {sizes[path]:>7} {max(results[path]):8.0f} {ratios[path]:7.1%} "
            f"{goal:6.0%}{mark}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (out / f"pages-{stamp}.json").write_text(
        json.dumps({"args": vars(args), "results": results, "ratios": ratios}, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
