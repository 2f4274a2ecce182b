"""The PostgreSQL backend's health check: no round trip while the connection is fine, and a
connection the server dropped is replaced before the next request's first statement, also on
the letters' prepared path."""

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

from picketline.web import rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_healthy_connection_is_not_asked(monkeypatch):
    assert connection.settings_dict["ENGINE"] == "picketline.web.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    backend_pid()

    def round_trip(self):
        raise AssertionError("SELECT 1 was sent")

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", round_trip)
    assert connection.is_usable()


def test_a_dropped_connection_is_replaced_before_the_next_statement():
    before = backend_pid()
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params.get("host"), port=params.get("port"), user=params.get("user"),
        dbname=params.get("dbname"), autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [before])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    connection.close_if_unusable_or_obsolete()  # what the start of a request does
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        after = cursor.fetchone()[0]
    assert after != before


def test_the_prepared_cursor_lasts_as_long_as_its_connection():
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1")
        first = cursor.cursor
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
        assert cursor.cursor is first
        assert not first.closed
    connection.close()
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)
        assert cursor.cursor is not first


def test_the_prepared_cursor_prepares_its_statements_on_the_server_and_nothing_else():
    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    connection.close()  # a new connection, as Django opens it: preparing switched off
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s::int + 7", [35])
        assert cursor.fetchone() == (42,)
    assert "SELECT $1::int + 7" in prepared()
    for _ in range(10):  # Django's cursors run the same statement as often as they like
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::int + 8", [34])
    assert not [sql for sql in prepared() if "+ 8" in sql]


def test_the_prepared_cursor_works_again_after_a_failed_statement():
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        with rows.prepared_cursor(connection) as cursor:
            cursor.execute("SELECT 1 / 0")
    with rows.prepared_cursor(connection) as cursor:
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)
