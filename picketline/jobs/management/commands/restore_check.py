"""Prove that a backup can be restored: ``picketline restore_check backup.dump``.

The dump (``pg_dump --format=custom``) goes into a fresh database beside this installation's,
the migrations bring it up to this version (as an upgrade would), and a second process pointed
at it reads every row of every table, decrypting each encrypted field with the keys this
installation has. A backup whose keys were lost, or kept only beside it and then mixed up,
fails here instead of on the day it is needed. The fresh database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Restore a PostgreSQL backup (pg_dump --format=custom) into a fresh database, migrate "
        "it, read every row with this installation's keys, then drop it. Exits 1 on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", help="the file pg_dump --format=custom wrote")
        parser.add_argument("--keep", action="store_true", help="leave the restored database")
        # Used by the command itself, in the process it points at the restored database.
        parser.add_argument("--read-this-database", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, dump: str | None, keep: bool, read_this_database: bool, **options):
        if read_this_database:
            self.read_every_row()
            return
        if not dump or not os.path.isfile(dump):
            raise CommandError("name the backup file: picketline restore_check backup.dump")
        if connection.vendor != "postgresql":
            raise CommandError(
                "restore_check restores PostgreSQL backups; a SQLite database is one file, "
                "copied with `sqlite3 picketline.sqlite3 .backup copy.sqlite3`"
            )
        fresh = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"[-63:]
        quoted = connection.ops.quote_name(fresh)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quoted}")
        try:
            self.stdout.write(f"restoring {os.path.basename(dump)} into {fresh}")
            self.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                      "--dbname", fresh, dump], env=self.libpq_env())  # fmt: skip
            child_env = {**os.environ, "DATABASE_URL": self.url_of(fresh)}
            cli = [sys.executable, "-m", "picketline.cli"]
            self.run([*cli, "migrate", "--no-input", "--verbosity", "0"], env=child_env)
            self.run([*cli, "restore_check", "--read-this-database"], env=child_env)
        finally:
            if not keep:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        self.stdout.write(self.style.SUCCESS("the backup restores and reads"))

    def run(self, command: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        self.stdout.write(result.stdout, ending="")
        if result.returncode != 0:
            self.stderr.write(result.stderr)
            raise SystemExit(1)

    def libpq_env(self) -> dict[str, str]:
        db = connection.settings_dict
        env = dict(os.environ)
        for variable, key in (
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGPASSWORD", "PASSWORD"),
        ):
            if db.get(key):
                env[variable] = str(db[key])
        return env

    def url_of(self, name: str) -> str:
        parts = urlsplit(settings.DATABASE_URL)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def read_every_row(self) -> None:
        """Load every row of every table (decrypting as it goes); print each table's count."""
        failed = []
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            try:
                rows = sum(1 for _row in model._base_manager.order_by().iterator(chunk_size=500))
            except Exception as exc:  # a key that does not fit, a table the dump lacks
                failed.append(table)
                # The message names the table and column, never a value (web.fields).
                self.stdout.write(f"{table} unreadable: {type(exc).__name__}: {exc}")
                continue
            self.stdout.write(f"{table} {rows}")
        if failed:
            self.stderr.write(f"unreadable: {', '.join(failed)}")
            raise SystemExit(1)
