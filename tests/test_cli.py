"""The ``picketline`` command line: its own commands, and Django's behind it."""

import subprocess
import sys

import pytest

from picketline import cli


def test_without_a_command_it_lists_what_it_does(capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert "picketline demo" in out and "picketline help <command>" in out


@pytest.mark.parametrize("asked", [["help", "migrate"], ["migrate", "--help"]])
def test_help_on_a_command_is_that_command_s_own(asked, tmp_path):
    # A process of its own: Django's --help ends with SystemExit after printing.
    done = subprocess.run(
        [sys.executable, "-m", "picketline.cli", *asked],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PICKETLINE_DEMO": "1", "PICKETLINE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "--fake-initial" in done.stdout  # one of migrate's own options
    assert "any manage.py command" not in done.stdout
