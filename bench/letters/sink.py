"""An SMTP sink on loopback: accepts every message, keeps only a count (written to a file)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.count += 1
        return "250 OK"


def main() -> None:
    port, count_file = int(sys.argv[1]), Path(sys.argv[2])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    try:
        while not stop.wait(0.2):
            count_file.write_text(str(counter.count))
    finally:
        controller.stop()


if __name__ == "__main__":
    time.sleep(0)
    main()
