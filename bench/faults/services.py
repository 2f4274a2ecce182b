"""The suite's own PostgreSQL and Redis servers and its small filesystem.

The machine's shared PostgreSQL and Redis belong to other people: the suite starts, stops and
restarts only servers it made itself, in a temporary folder, on ports of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path


def as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as the user postgres."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} is missing: apt-get install postgresql")
    return found[-1]


class OwnPostgres:
    def __init__(self, base: Path, port: int) -> None:
        self.folder = base / "postgres"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*as_postgres_user(), *args], capture_output=True, text=True, check=check
        )

    def create(self) -> None:
        self.folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(
            postgres_bin("initdb"), "-D", str(self.folder / "data"), "-A", "trust",
            "-U", "postgres", "--no-sync",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run(
            postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "-o", options, "-w",
            "-l", str(self.folder / "log"), "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run(
            postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"
        )

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        status = self.run(
            postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "status", check=False
        )
        return status.returncode == 0

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def terminate_connections(self, name: str) -> int:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return len(rows)

    def destroy(self) -> None:
        if self.running():
            self.stop()


class OwnRedis:
    def __init__(self, base: Path, port: int) -> None:
        self.folder = base / "redis"
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise SystemExit("the suite's Redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def freeze(self) -> None:
        """Still listening, never answering: connections are made, replies never come."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class SmallDisk:
    """A tmpfs of a few megabytes mounted for the test; ``fill()`` leaves it no free byte."""

    def __init__(self, base: Path, megabytes: int = 16) -> None:
        self.path = base / "disk"
        self.megabytes = megabytes
        self.mounted = False
        self.filler = self.path / "filler"

    def mount(self) -> str:
        """Mount it; answers what was made (the suite prints it)."""
        self.path.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.megabytes}m,mode=0700", "tmpfs",
             str(self.path)],
            capture_output=True, text=True,
        )  # fmt: skip
        self.mounted = result.returncode == 0
        if self.mounted:
            return f"tmpfs of {self.megabytes} MB mounted for the test"
        return f"no filesystem mounted ({result.stderr.strip()}): the disk-full case is not run"

    def fill(self) -> None:
        """Write until the filesystem refuses a single byte more (unbuffered: nothing waits
        in a buffer to fail later)."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
                block = b"\0" * size
                try:
                    while True:
                        os.write(fd, block)
                except OSError:
                    continue
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
            self.mounted = False
