"""Benchmark: one mailing to N supporters, sent by one worker into an SMTP sink on loopback.

One command (``bench/run-mailing``) on a fresh PostgreSQL database:

1. migrates, writes N supporters with a confirmed "keep me informed" consent and one mailing
   (an English and a Russian version, the highest rate) (``bench/mailing/steps.py``);
2. two baselines, measured in the same run: ``bench/mailing/bare_send.py`` sends messages of
   the same shape with Django's SMTP backend alone (no database, no composing) into the same
   sink, on the same core; then one worker sends as many such messages written in advance
   (the outbox's own cost per message, as for letters);
3. the mailing is scheduled and one ``picketline worker`` (core 0, its PostgreSQL backends pinned there too) sends the
   mailing: its periodic job writes the outbox rows a batch at a time (keyset pagination) and
   the outbox writes each message as it goes. The SMTP sink runs on core 1 and counts what
   arrives; the worker's resident memory is sampled as it sends.

Messages per second are counted from the first message the sink receives to the last, so the
worker's start-up is left out; the writing of the outbox rows is included.

    bench/run-mailing [--recipients 100000] [--baseline N/5] [--database NAME]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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


@dataclass
class Drained:
    sent: int
    rate: float  # messages a second, from the first message the sink received to the last
    seconds: float  # from the worker's start
    samples: list[tuple[int, int]]  # (sent so far, resident KiB)


def drain(total: int, env: dict[str, str], database: str, count_file: Path) -> Drained:
    """Start one worker and let it send until the sink has ``total`` more messages."""
    before = int(count_file.read_text() or 0)
    known = set(backend_pids(database))
    worker = start([PYTHON, "-m", "picketline.cli", "worker"], env, SERVER_CORE)
    try:
        started = time.monotonic()
        first_at = None
        first_done = done = 0
        samples: list[tuple[int, int]] = []
        next_sample = next_pin = 0.0
        deadline = started + max(120, total / 20)
        while time.monotonic() < deadline:
            done = int(count_file.read_text() or 0) - before
            now = time.monotonic()
            if first_at is None and done > 0:
                first_at, first_done = now, done
            if now - started >= next_pin:
                known |= pin_new_backends(database, known)
                next_pin = now - started + 1
            if now - started >= next_sample:
                samples.append((done, rss_kib(worker.pid)))
                next_sample = now - started + 2
            if done >= total:
                break
            time.sleep(0.05)
        finished = time.monotonic()
        samples.append((done, rss_kib(worker.pid)))
    finally:
        stop(worker)
    if first_at is None:
        raise SystemExit("the worker sent nothing")
    rate = (done - first_done) / max(finished - first_at, 1e-9)
    return Drained(done, rate, finished - started, samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument(
        "--baseline", type=int, default=0, help="messages each baseline sends (default: N / 5)"
    )
    parser.add_argument("--database", default="picketline_bench_mailing")
    args = parser.parse_args()
    total = args.recipients
    baseline = args.baseline or max(1000, total // 5)

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-bench-mailing-"))
    sink_port = free_port()
    env = make_env(args.database, free_port(), sink_port, data_dir)
    processes: list[subprocess.Popen] = []
    try:
        recreate_database(args.database)
        run([PYTHON, "manage.py", "migrate", "-v", "0"], env)
        print(run([PYTHON, str(HERE / "steps.py"), "populate", str(total)], env).strip())

        count_file = data_dir / "sink-count"
        count_file.write_text("0")
        sink = start(
            [PYTHON, str(ROOT / "bench" / "letters" / "sink.py"), str(sink_port), str(count_file)],
            env,
            LOAD_CORE,
        )
        processes.append(sink)
        time.sleep(1)  # the sink binds its port

        sent, seconds = run([PYTHON, str(HERE / "bare_send.py"), str(baseline)], env).split()
        bare_rate = int(sent) / float(seconds)
        print(f"bare Django, {sent} messages, no database: {bare_rate:7.0f} messages/s")
        time.sleep(0.5)  # the sink writes its count five times a second

        run([PYTHON, str(HERE / "steps.py"), "plain", str(baseline)], env)
        plain = drain(baseline, env, args.database, count_file)
        print(
            f"worker, {plain.sent} messages written in advance: {plain.rate:7.0f} messages/s "
            f"({plain.rate / bare_rate:.0%} of bare)"
        )

        run([PYTHON, str(HERE / "steps.py"), "schedule"], env)
        mailing = drain(total, env, args.database, count_file)
        print(
            f"worker, the mailing: {mailing.sent} of {total} messages, {mailing.rate:7.0f} "
            f"messages/s from the first to the last ({mailing.rate / bare_rate:.0%} of bare, "
            f"{mailing.rate / plain.rate:.0%} of the messages written in advance); "
            f"{mailing.seconds:.1f} s from the worker's start"
        )
        print("worker memory (resident) as it sent the mailing:")
        samples = mailing.samples
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
