"""Where one outbox worker spends its time, in-process, against the benchmark's SMTP sink.

    .venv/bin/python bench/letters/profile_worker.py [--messages 20000] [--profile cprofile|py-spy]
        [--mailing]

On a fresh PostgreSQL database (``pl_bench_worker``) it queues ``--messages`` letter-sized
messages shaped as the letter scheduler writes them (From with the supporter's name, Reply-To,
an extra header, a Message-ID of its own), starts ``bench/letters/sink.py`` on core 1, pins
itself and its database backend to core 0 (as ``bench/run-letters`` pins the worker) and runs
the worker's send loop (``outbox.send_due`` in batches, as the dispatcher thread does) until the
outbox is empty. With ``--mailing`` the messages are a mailing's instead (``bench/run-mailing``'s
supporters and mailing, ``bench/mailing/steps.py``): its outbox rows are all written before the
clock starts (the time that takes is printed apart) and the composer writes each message as it
goes, as in ``bench/run-mailing``. It prints messages per second and CPU time per message (its
own and its backend's), and with ``--profile`` where the time goes: ``cprofile``
(deterministic, slows everything down) or ``py-spy`` (sampling; the script runs itself again
under ``py-spy record`` and sums the samples by function).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import os
import pstats
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_letters import (  # noqa: E402
    LOAD_CORE,
    SERVER_CORE,
    free_port,
    make_env,
    recreate_database,
)

HERE = Path(__file__).resolve().parent
BODY = (
    "Dear Ambassador,\n\nI write from Germany to ask you to release the jailed trade "
    "unionists of Belarus and to let independent unions work again.\n\n"
    "Our union has followed the trials of {n} colleagues for two years; we ask for their "
    "release and for the right of every worker to organise without fear.\n\n"
    "Yours sincerely,\nSupporter {n}\nmember\nBench union"
)


def queue_messages(count: int) -> None:
    from email.utils import formataddr

    from picketline.mail.models import OutgoingMessage

    batch = []
    for n in range(count):
        batch.append(
            OutgoingMessage.build(
                to=["embassy@example.org"],
                subject="Release them",
                text=BODY.format(n=n),
                kind="letter",
                from_email=formataddr((f"Supporter {n}", "campaign@example.org")),
                reply_to=[f"supporter{n}@example.org"],
                language="en",
                group="letters:bench",
                message_id=f"<letter.{n}.1@bench.invalid>",
                headers={"X-Picketline-Action": "bench"},
            )
        )
        if len(batch) == 2000:
            OutgoingMessage.objects.bulk_create(batch)
            batch = []
    OutgoingMessage.objects.bulk_create(batch)


def queue_mailing(count: int) -> None:
    """A mailing to ``count`` supporters, its outbox rows written and all due now."""
    from datetime import timedelta

    from django.utils import timezone

    from bench.mailing.steps import populate
    from picketline.mail.models import OutgoingMessage
    from picketline.mailings import sending

    mailing = populate(count)
    sending.schedule(mailing)
    sending.start_due()
    started, cpu = time.monotonic(), time.process_time()
    written = sending.expand(mailing.pk, budget_seconds=3600, ahead=timedelta(days=1))
    print(
        f"mailing: {written} outbox rows written in {time.monotonic() - started:.1f} s, "
        f"{(time.process_time() - cpu) / max(written, 1) * 1000:.3f} ms CPU a row (this process)"
    )
    # Due at once: the mailing's rate (a thousand a second) must not pace the profile.
    OutgoingMessage.objects.filter(group=mailing.group).update(send_after=timezone.now())


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the sink on port {port} did not come up")


class GarbageCollections:
    """How often and how long the cyclic garbage collector ran (in this process)."""

    def __init__(self) -> None:
        self.runs = [0, 0, 0]
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.runs[info["generation"]] += 1
            self.seconds += time.perf_counter() - self._started


def send_everything() -> int:
    from picketline.jobs.worker import Dispatcher

    dispatcher = Dispatcher()
    sent = 0
    while done := dispatcher.run_once():
        sent += done
    return sent


def summarise_pyspy(raw: Path, top: int) -> None:
    """Sum py-spy's collapsed stacks: samples where a function is on the stack, and on top."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = everything = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        everything += n
        frames = [frame.split(" (")[0] + " " + _where(frame) for frame in stack.split(";")]
        if not any("send_due" in frame for frame in frames):
            continue  # start-up, migrations, queueing
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    print(f"\npy-spy: {everything} samples of running code, {total} of them inside send_due")
    print("  by own time:")
    for frame, n in own.most_common(top):
        print(f"    {n / total:6.1%}  {frame}")
    print("  on the stack (inclusive):")
    for frame, n in inclusive.most_common(top):
        print(f"    {n / total:6.1%}  {frame}")


def _where(frame: str) -> str:
    inside = frame.partition(" (")[2].rstrip(")")
    path, _, line = inside.rpartition(":")
    parts = Path(path).parts
    for anchor in ("site-packages", "python3.11", "picketline"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + (anchor != "picketline") :])
    return inside


def start_pyspy(pid: int, raw: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--rate", "250",
        # Only the thread holding the GIL, without pausing the process: our own CPU time.
        "--gil", "--nonblocking",
        "--output", str(raw), "--pid", str(pid),
    ]  # fmt: skip
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)  # attaching takes a moment
    return spy


def sent_so_far() -> int:
    from picketline.mail.models import OutgoingMessage

    return OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--profile", choices=["cprofile", "py-spy"])
    parser.add_argument(
        "--process",
        action="store_true",
        help="run `picketline worker` as a process (as bench/run-letters does), not in-process",
    )
    parser.add_argument(
        "--mailing", action="store_true", help="a mailing's messages, written as they are sent"
    )
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--database", default="pl_bench_worker")
    args = parser.parse_args()
    if args.process and args.profile == "cprofile":
        parser.error("--process profiles with py-spy only")

    data_dir = Path(tempfile.mkdtemp(prefix="picketline-profile-worker-"))
    sink_port = free_port()
    env = make_env(args.database, 8000, sink_port, data_dir)
    os.environ.update(env)
    if not args.process:
        os.sched_setaffinity(0, {int(SERVER_CORE)})
    recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.monotonic()
    (queue_mailing if args.mailing else queue_messages)(args.messages)
    print(f"queued {args.messages} messages in {time.monotonic() - started:.1f} s", flush=True)

    count_file = data_dir / "sink-count"
    raw = data_dir / "stacks.txt"
    sink = subprocess.Popen(
        ["taskset", "-c", LOAD_CORE, sys.executable, str(HERE / "sink.py"),
         str(sink_port), str(count_file)],
        start_new_session=True,
    )  # fmt: skip
    worker = spy = None
    backend_cpu = 0.0
    try:
        wait_for_port(sink_port)
        profiler = cProfile.Profile() if args.profile == "cprofile" else None
        if args.process:
            worker = subprocess.Popen(
                ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "picketline.cli", "worker"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            started = time.monotonic()
            if args.profile == "py-spy":
                spy = start_pyspy(worker.pid, raw)
            cpu_before = _process_cpu(worker.pid)
            while sent_so_far() < args.messages and worker.poll() is None:
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            cpu_after = _process_cpu(worker.pid)
        else:
            if args.profile == "py-spy":
                spy = start_pyspy(os.getpid(), raw)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            # As in bench/run-letters: the worker's database backend shares its core.
            os.sched_setaffinity(backend, {int(SERVER_CORE)})
            backend_before = _process_cpu(backend)
            cpu_before = _process_cpu(os.getpid())
            collections = GarbageCollections()
            gc.callbacks.append(collections)
            started = time.monotonic()
            if profiler:
                profiler.enable()
            send_everything()
            if profiler:
                profiler.disable()
            elapsed = time.monotonic() - started
            gc.callbacks.remove(collections)
            print(
                f"garbage collector: {collections.runs} runs (generations 0, 1, 2), "
                f"{collections.seconds * 1000:.0f} ms in all"
            )
            cpu_after = _process_cpu(os.getpid())
            backend_cpu = sum(_process_cpu(backend)) - sum(backend_before)
        if spy:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        time.sleep(0.5)  # the sink writes its count every 0.2 s
        received = int(count_file.read_text() or 0) if count_file.exists() else 0
        sent = sent_so_far()
        if raw.exists():
            summarise_pyspy(raw, args.top)
    finally:
        for process in (worker, sink):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)

    user, system = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
    print(
        f"\n{'worker process' if args.process else 'in-process'}: sent {sent} in {elapsed:.2f} s "
        f"= {sent / elapsed:.0f} messages/s (sink received {received})"
    )
    print(
        f"worker CPU per message: {user / sent * 1000:.3f} ms user + "
        f"{system / sent * 1000:.3f} ms system; wall per message {elapsed / sent * 1000:.3f} ms"
    )
    if not args.process:
        print(f"its PostgreSQL backend: {backend_cpu / sent * 1000:.3f} ms CPU per message")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


def _process_cpu(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


if __name__ == "__main__":
    sys.exit(main())
