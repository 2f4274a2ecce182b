"""Django's cache settings when the site has Redis (``REDIS_URL``).

Two aliases on the same server: ``default`` (the page cache and data that forms need; its keys
carry the release, ``picketline.lib.release``) and ``limits`` (rate-limit and log-in counters,
``picketline.web.limits``, kept across a deploy). A Redis that stopped
answering is given up on after a tenth of a second per command (on its own network Redis
answers within a millisecond; a request makes a dozen or two cache calls, and a Redis that takes
connections but never answers must not hold it past a client's patience). Then the two differ
on purpose: a page-cache miss only costs time, so ``default`` ignores the error and the page
is made afresh; a counter that cannot count must not let a request through uncounted, so
``limits`` raises, and the request is answered 503 with Retry-After
(``picketline.web.unavailable``).
"""

from __future__ import annotations

GIVE_UP_SECONDS = 0.1


def redis_caches(url: str) -> dict[str, dict]:
    timeouts = {"SOCKET_CONNECT_TIMEOUT": GIVE_UP_SECONDS, "SOCKET_TIMEOUT": GIVE_UP_SECONDS}
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "picketline",
            "KEY_FUNCTION": "picketline.lib.release.cache_key",
            "OPTIONS": {**timeouts, "IGNORE_EXCEPTIONS": True},
        },
        "limits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "picketline-limits",
            "TIMEOUT": 86400,
            "OPTIONS": timeouts,
        },
    }
