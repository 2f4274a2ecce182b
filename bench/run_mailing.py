"""Benchmark: one mailing to N supporters, sent by one worker into an SMTP sink on loopback.

One command (``bench/run-mailing``) on a fresh PostgreSQL database:

1. migrates, writes N supporters with a confirmed "keep me informed" consent and one mailing
   (an English and a Russian version, the highest rate), scheduled now
   (``bench/mailing/populate.py``);
2. the baseline, measured in the same run: ``bench/mailing/bare_send.py`` sends messages of
   the same shape with Django's SMTP backend alone (no database, no composing) into the same
   sink, on the same core;
3. one ``picketline worker`` (core 0, its PostgreSQL backends pinned there too) sends the
   mailing: its periodic job writes the outbox rows a batch at a time (keyset pagination) and
   the outbox writes each message as it goes. The SMTP sink runs on core 1 and counts what
   arrives; the worker's resident memory is sampled as it sends.

Messages per second are counted from the first message the sink receives to the last, so the
worker's start-up is left out; the writing of the outbox rows is included.

    bench/run-mailing [--recipients 100000] [--bare 5000] [--database NAME]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_letters import (  # noqa: E402
    LOAD_CORE,
    PYTHON,
    SERVER_CORE,
    backend_pids,
    free_port,
    make_env,
    pin_new_backends,
    recreate_database,
    rss_kib,
    start,
    stop,
)

HERE = ROOT / "bench" / "mailing"


def run(command: list[str], env: dict[str, str], core: str = SERVER_CORE) -> str:
    done = subprocess.run(
        ["taskset", "-c", core, *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--bare", type=int, default=5000, help="messages the baseline sends")
    parser.add_argument("--database", default="picketline_bench_mailing")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-bench-mailing-"))
    sink_port = free_port()
    env = make_env(args.database, free_port(), sink_port, data_dir)
    processes: list[subprocess.Popen] = []
    try:
        recreate_database(args.database)
        run([PYTHON, "manage.py", "migrate", "-v", "0"], env)
        print(run([PYTHON, str(HERE / "populate.py"), str(args.recipients)], env).strip())

        count_file = data_dir / "sink-count"
        count_file.write_text("0")
        sink = start(
            [PYTHON, str(ROOT / "bench" / "letters" / "sink.py"), str(sink_port), str(count_file)],
            env,
            LOAD_CORE,
        )
        processes.append(sink)
        time.sleep(1)  # the sink binds its port

        sent, seconds = run([PYTHON, str(HERE / "bare_send.py"), str(args.bare)], env).split()
        bare_rate = int(sent) / float(seconds)
        print(f"bare Django, same messages, no database: {bare_rate:7.0f} messages/s")
        time.sleep(0.5)  # the sink writes its count five times a second
        before = int(count_file.read_text() or 0)
        total = args.recipients

        known = set(backend_pids(args.database))
        worker = start([PYTHON, "-m", "picketline.cli", "worker"], env, SERVER_CORE)
        processes.append(worker)
        started = time.monotonic()
        first_at = None
        samples: list[tuple[int, int]] = []
        next_sample = next_pin = 0.0
        deadline = started + max(120, total / 50)
        done = 0
        while time.monotonic() < deadline:
            done = int(count_file.read_text() or 0) - before
            now = time.monotonic()
            if first_at is None and done > 0:
                first_at, first_done = now, done
            if now - started >= next_pin:
                known |= pin_new_backends(args.database, known)
                next_pin = now - started + 1
            if now - started >= next_sample:
                samples.append((done, rss_kib(worker.pid)))
                next_sample = now - started + 2
            if done >= total:
                break
            time.sleep(0.05)
        finished = time.monotonic()
        samples.append((done, rss_kib(worker.pid)))
        stop(worker)
        if first_at is None:
            raise SystemExit("the worker sent nothing")
        rate = (done - first_done) / max(finished - first_at, 1e-9)
        print(
            f"worker: {done} of {total} messages, {rate:7.0f} messages/s from the first to the "
            f"last ({rate / bare_rate:.0%} of bare); {finished - started:.1f} s from its start"
        )
        print("worker memory (resident) as it sent:")
        step = max(1, len(samples) // 8)
        for count, kib in samples[::step] + [samples[-1]]:
            print(f"  {count:>8} sent   {kib / 1024:7.1f} MiB")
        rss = [kib for count, kib in samples if count > total * 0.1]
        if rss:
            print(f"  growth after the first 10%: {(max(rss) - min(rss)) / 1024:.1f} MiB")
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
