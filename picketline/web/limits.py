"""Counters for rate limits and the log-in throttle, shared by every process and machine.

With REDIS_URL they live in the cache alias ``limits`` (Redis counts atomically). Otherwise
they are rows of ``web.Counter`` in the site's own database, and counting is one statement
(``INSERT … ON CONFLICT … DO UPDATE … RETURNING``, the same on SQLite and PostgreSQL), so two
requests at the same instant are both counted and a limit holds however many web processes
serve the site. Each counter counts in a fixed window whose number is part of its key; the
worker deletes expired rows (``jobs/jobs.py``).
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Q

from picketline.web.models import Counter

ALIAS = "limits"


def _window(key: str, seconds: int) -> tuple[str, datetime]:
    """The key of the current window of ``seconds``, and when that window ends."""
    number = int(time.time() // seconds)
    return f"{key}:{number}", datetime.fromtimestamp((number + 1) * seconds, tz=UTC)


def _upsert(sql_tail: str, key: str, expires: datetime, *params: object) -> int | None:
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    key_column, hits, until = (quote(name) for name in ("key", "hits", "expires"))
    field = Counter._meta.get_field("expires")
    values = [key, field.get_db_prep_value(expires, connection)]
    extra = [field.get_db_prep_value(p, connection) for p in params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {hits}, {until}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_column}) DO UPDATE SET {sql_tail} RETURNING {hits}",
            values + extra,
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def count_hit(key: str, seconds: int) -> int:
    """Count one hit on ``key`` in the current window of ``seconds``; the count so far."""
    return count_hits((key, seconds))[0]


def count_hits(*keys: tuple[str, int]) -> list[int]:
    """``count_hit`` for several different keys at once, in one statement on the database
    (a request counted per client and per address pays one round trip, not two)."""
    windows = [(_window(key, seconds), seconds) for key, seconds in keys]
    if settings.REDIS_URL:
        return [_count_in_redis(key, seconds) for (key, _expires), seconds in windows]
    field = Counter._meta.get_field("expires")
    params: list[object] = []
    for (key, expires), _seconds in windows:
        params += [key, field.get_db_prep_value(expires, connection)]
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(connection.vendor, len(windows)), params)
        counted = dict(cursor.fetchall())  # RETURNING promises no order: match by key
    return [counted[key] for (key, _expires), _seconds in windows]


@functools.lru_cache(maxsize=8)
def _count_sql(vendor: str, keys: int) -> str:
    """The text of ``count_hits``'s statement for so many ``keys`` (one or two: a client, an
    address): made once per process and kind of database."""
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    key_column, hits_column, until = (quote(name) for name in ("key", "hits", "expires"))
    rows = ", ".join(["(%s, 1, %s)"] * keys)
    return (
        f"INSERT INTO {table} ({key_column}, {hits_column}, {until}) VALUES {rows} "
        f"ON CONFLICT ({key_column}) DO UPDATE SET {hits_column} = {table}.{hits_column} + 1 "
        f"RETURNING {key_column}, {hits_column}"
    )


def _count_in_redis(key: str, seconds: int) -> int:
    store = caches[ALIAS]
    if store.add(key, 1, timeout=seconds):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # it expired between the two calls
        store.set(key, 1, timeout=seconds)
        return 1


def hits(key: str, seconds: int) -> int:
    """The count of ``key`` in the current window of ``seconds``, without counting."""
    key, _expires = _window(key, seconds)
    if settings.REDIS_URL:
        return caches[ALIAS].get(key) or 0
    return Counter.objects.filter(key=key).values_list("hits", flat=True).first() or 0


def forget(*keys_and_seconds: tuple[str, int]) -> None:
    """Reset counters (for example an account's failures after a good log-in)."""
    keys = [_window(key, seconds)[0] for key, seconds in keys_and_seconds]
    if settings.REDIS_URL:
        caches[ALIAS].delete_many(keys)
    else:
        Counter.objects.filter(key__in=keys).delete()


def forget_every_window(*keys_and_seconds: tuple[str, int]) -> None:
    """Delete these counters in every window that may still hold them, not only the current
    one (an erased address leaves no counter keyed by it). In Redis a window's key lives
    ``seconds`` from its first hit, so only this window's and the one before can be left; in
    the database an ended window's row stays until ``purge_expired``, so every window goes."""
    if settings.REDIS_URL:
        names = []
        for key, seconds in keys_and_seconds:
            number = int(time.time() // seconds)
            names += [f"{key}:{number}", f"{key}:{number - 1}"]
        caches[ALIAS].delete_many(names)
        return
    windows = Q()
    for key, _seconds in keys_and_seconds:
        windows |= Q(key__startswith=f"{key}:")
    Counter.objects.filter(windows).delete()


def add_once(key: str, seconds: int) -> bool:
    """True the first time ``key`` is seen within ``seconds`` (for one-time tokens)."""
    if settings.REDIS_URL:
        return caches[ALIAS].add(key, 1, timeout=seconds)
    now = datetime.now(tz=UTC)
    quote = connection.ops.quote_name
    table, hits, until = (quote(n) for n in (Counter._meta.db_table, "hits", "expires"))
    # A row still in force stays as it is (no row comes back); an expired one starts again.
    tail = f"{hits} = 1, {until} = excluded.{until} WHERE {table}.{until} < %s"
    return _upsert(tail, key, datetime.fromtimestamp(time.time() + seconds, tz=UTC), now) == 1


def purge_expired() -> int:
    """Delete the database counters whose window is over."""
    deleted, _by_model = Counter.objects.filter(expires__lt=datetime.now(tz=UTC)).delete()
    return deleted


def clear_all() -> None:
    """Forget every counter (tests start from none)."""
    if settings.REDIS_URL:
        caches[ALIAS].clear()
    else:
        Counter.objects.all().delete()
