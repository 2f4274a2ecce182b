"""Counters for rate limits and the log-in throttle, shared by every process and machine.

They live in the cache alias ``limits`` (``settings.CACHES``): Redis when REDIS_URL is set,
otherwise Django's database cache in the site's own database, so a limit holds however many
web processes serve the site. Each counter counts in a fixed window whose number is part of
its key, so a backend that renews an entry's expiry when it is written cannot stretch the
window. Redis increments atomically; the database cache reads and writes, so two requests
arriving at the same instant may be counted once: a limit can be passed by a handful of
simultaneous requests, never multiplied by the number of processes.
"""

from __future__ import annotations

import time

from django.core.cache import caches

ALIAS = "limits"


def _window_key(key: str, seconds: int) -> str:
    return f"{key}:{int(time.time() // seconds)}"


def count_hit(key: str, seconds: int) -> int:
    """Count one hit on ``key`` in the current window of ``seconds``; the count so far."""
    store = caches[ALIAS]
    key = _window_key(key, seconds)
    if store.add(key, 1, timeout=seconds):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # it expired between the two calls
        store.set(key, 1, timeout=seconds)
        return 1


def hits(key: str, seconds: int) -> int:
    """The count of ``key`` in the current window of ``seconds``, without counting."""
    return caches[ALIAS].get(_window_key(key, seconds)) or 0


def forget(*keys_and_seconds: tuple[str, int]) -> None:
    """Reset counters (for example an account's failures after a good log-in)."""
    caches[ALIAS].delete_many([_window_key(key, seconds) for key, seconds in keys_and_seconds])


def add_once(key: str, seconds: int) -> bool:
    """True the first time ``key`` is seen within ``seconds`` (for one-time tokens)."""
    return caches[ALIAS].add(key, 1, timeout=seconds)
