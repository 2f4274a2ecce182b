"""A database host that takes the connection and never answers (a frozen server, a firewall
that swallows packets) fails a connection within seconds, so the visitor gets the 503 instead of
waiting for the system's TCP timeout; DATABASE_URL may set another limit."""

from __future__ import annotations

import socket
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from picketline.lib.database_url import parse_database_url


def test_postgresql_gives_up_connecting_after_five_seconds_unless_the_url_says_otherwise():
    database = parse_database_url("postgres://picketline@db.internal:5432/picketline")
    assert database["OPTIONS"]["connect_timeout"] == 5
    assert database["CONN_HEALTH_CHECKS"] and database["CONN_MAX_AGE"] == 60
    given = parse_database_url("postgres://p@db.internal/p?connect_timeout=12&sslmode=require")
    assert given["OPTIONS"] == {"connect_timeout": 12, "sslmode": "require"}


def test_sqlite_waits_for_the_write_lock():
    database = parse_database_url("sqlite:////var/lib/picketline/picketline.sqlite3")
    assert database["OPTIONS"]["timeout"] == 20
    assert "connect_timeout" not in database["OPTIONS"]


def test_a_broken_url_names_the_setting():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url("nosuchdb://x/y")


def test_a_silent_database_host_fails_the_connection_within_its_timeout(django_db_blocker):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # takes connections, never says a word
        port = silent.getsockname()[1]
        url = f"postgres://picketline@127.0.0.1:{port}/picketline?connect_timeout=2"
        connections = ConnectionHandler({"default": parse_database_url(url)})
        started = time.monotonic()
        with django_db_blocker.unblock(), pytest.raises(OperationalError):  # web.unavailable: 503
            connections["default"].ensure_connection()
        waited = time.monotonic() - started
        connections.close_all()
    assert 1.5 < waited < 10
