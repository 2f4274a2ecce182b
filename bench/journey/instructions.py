"""Instructions a journey costs the web process, counted by callgrind: for comparing two
commits run side by side.

    .venv/bin/python bench/journey/instructions.py [--few 21] [--many 63]

Runs ``profile_journey.py`` (in-process: the product's WSGI application, PostgreSQL, the demo
campaign) under ``valgrind --tool=callgrind`` twice, with ``--few`` and with ``--many``
journeys (the bytecode written first), and prints the difference divided by the difference in
journeys: what one journey costs, without the start-up both runs share. Only the Python process
is counted (not PostgreSQL, whose CPU ``profile_journey.py`` reads from /proc); the walk's own
look-ups of the newest action and its link are in it, alike for every commit.

Not a constant: cached pages and records live 60 s of wall time, and a run under valgrind
takes minutes (Python runs about 40 times slower), so a run slowed by other work renders them
more often and counts more. Compare two commits by running this in a worktree of each at the
same time, on the same machine.
"""

from __future__ import annotations

import argparse
import compileall
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(journeys: int, database: str) -> int:
    """The instructions of one run of ``journeys`` journeys, start-up included."""
    with tempfile.TemporaryDirectory(prefix="picketline-callgrind-") as folder:
        completed = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/callgrind.out",
                sys.executable,
                str(ROOT / "bench" / "journey" / "profile_journey.py"),
                "--journeys",
                str(journeys),
                "--database",
                database,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    found = TOTAL.search(completed.stderr)
    if completed.returncode != 0 or found is None:
        sys.stderr.write(completed.stdout[-2000:] + completed.stderr[-2000:])
        raise SystemExit(f"the run of {journeys} journeys failed (exit {completed.returncode})")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--few", type=int, default=21, help="journeys in the first run")
    parser.add_argument("--many", type=int, default=63, help="journeys in the second run")
    parser.add_argument("--database", default="pl_bench_instructions")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is missing: apt-get install valgrind")
    if not 0 < args.few < args.many or args.few % 3 or args.many % 3:
        raise SystemExit("--few and --many: multiples of 3 (one of each action), few < many")
    # Bytecode written during a run would be counted in it: write it all first.
    for folder in ("picketline", "bench"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    few = instructions(args.few, args.database)
    many = instructions(args.many, args.database)
    per_journey = (many - few) / (args.many - args.few)
    print(f"{args.few} journeys: {few:,} instructions; {args.many} journeys: {many:,}")
    print(f"per journey (letter, registration and video in turn): {per_journey / 1e6:.1f} million")
    return 0


if __name__ == "__main__":
    sys.exit(main())
