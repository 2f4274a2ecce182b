"""Turn a ``DATABASE_URL`` into Django's ``DATABASES["default"]``.

SQLite (the demo) waits for the write lock rather than fail, in WAL mode. PostgreSQL keeps
connections for a minute, checks a kept one before a request's first query (one the server
dropped is replaced instead of failing the request), and gives up connecting after
``connect_timeout`` seconds (5; ``?connect_timeout=N`` in the URL sets another): a database
host that does not answer makes a 503 in seconds instead of holding every visitor for the
system's own TCP timeout, minutes.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

CONNECT_TIMEOUT_SECONDS = 5


def parse_database_url(url: str) -> dict[str, Any]:
    try:
        database = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    elif database["ENGINE"] == "django.db.backends.postgresql":
        database["CONN_HEALTH_CHECKS"] = True
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    return database
