"""A backup is only a backup once it has been restored: `picketline restore_check` restores a
pg_dump into a fresh database, migrates it and reads every row with the installation's keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from picketline.lib.crypto import new_key_text
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Supporter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def backup(tmp_path) -> Path:
    """The test database with a supporter and a mail in it, dumped as the docs say."""
    Supporter.get_or_create_for_email("ana@example.org", name="Ana Novak")
    OutgoingMessage.queue(to=["ana@example.org"], subject="Hello", text="Hello Ana", kind="t")
    dump = tmp_path / "picketline.dump"
    db = connection.settings_dict
    subprocess.run(
        ["pg_dump", "--format=custom", "--file", str(dump), "--dbname", database_url()],
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    )
    return dump


def restore_check(dump: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "picketline.cli", "restore_check", str(dump)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {name for (name,) in cursor.fetchall()}


def test_a_backup_restores_into_a_fresh_database_and_reads(backup):
    before = databases()
    result = restore_check(backup)
    assert result.returncode == 0, result.stdout + result.stderr
    counts = dict(line.rsplit(" ", 1) for line in result.stdout.splitlines()[1:-1])
    assert counts["supporters_supporter"] == "1"
    assert counts["mail_outgoingmessage"] == "1"
    assert result.stdout.strip().endswith("the backup restores and reads")
    assert "ana" not in result.stdout.lower()  # counts, never what the rows hold
    assert databases() == before  # the fresh database is gone again


def test_a_backup_read_with_other_keys_fails(backup):
    result = restore_check(backup, PICKETLINE_ENCRYPTION_KEYS=new_key_text("k9"))
    assert result.returncode == 1
    assert "supporters_supporter unreadable: DecryptionError" in result.stdout
    assert "ana" not in (result.stdout + result.stderr).lower()


def test_a_damaged_backup_fails(tmp_path):
    dump = tmp_path / "broken.dump"
    dump.write_bytes(b"PGDMP" + os.urandom(200))
    before = databases()
    result = restore_check(dump)
    assert result.returncode == 1
    assert "pg_restore" in result.stderr
    assert databases() == before
