"""``picketline demo`` stopped with SIGTERM (``kill``, a service manager, ``docker stop``) stops
its web server and its worker too: nothing of the demo keeps running, or holding its port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.servers

START_TIMEOUT = 180  # seconds: the demo migrates and loads its campaign before it serves


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # The command's name is in parentheses and may hold spaces: the parent follows it.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, of in parents.items() if of == parent}
        todo.extend(children - found)
        found |= children
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not read its status yet


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=2) as page:
            return page.status == 200
    except OSError:
        return False


def test_sigterm_stops_the_demo_s_web_server_and_worker(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PICKETLINE_DATA_DIR": str(tmp_path / "data"),
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "picketline.cli", "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: answers(port), START_TIMEOUT), "the demo never answered"
        servers = descendants(demo.pid)
        assert len(servers) >= 3  # the worker, gunicorn's arbiter and its web processes

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
        assert wait_until(lambda: not any(alive(pid) for pid in servers), 30), [
            pid for pid in servers if alive(pid)
        ]
        assert not answers(port)
    finally:
        for pid in descendants(demo.pid) | {demo.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
