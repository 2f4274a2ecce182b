"""The fault suite's harness, end to end, on one fault: its own PostgreSQL, Redis and SMTP
server, the product served and its worker running, letters posted while the SMTP server
answers 421, then the outbox drained and counted. The whole suite is ``bench/run-faults``."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.servers
def test_letters_and_their_mails_survive_an_smtp_server_answering_421():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_faults.py"), "--only", "smtp-421",
         "--hold", "3", "--clients", "2", "--before", "2", "--after", "1"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    row = next(line for line in result.stdout.splitlines() if line.startswith("| SMTP answers 421"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    got, tracebacks_hangs, web_back, outbox_empty, actions_lost, mails_lost, duplicated = cells[2:9]
    assert re.fullmatch(r"accepted \d+", got)  # the web took every letter meanwhile
    assert tracebacks_hangs == "0 / 0"
    assert web_back.endswith(" s") and outbox_empty.endswith(" s")  # both recovered
    assert (actions_lost, mails_lost, duplicated) == ("0", "0", "0 (0)")
    assert "every promise held" in result.stdout
