"""Production settings for the journey benchmark, with one change: the load generator sends
every request from 127.0.0.1, so the per-client rate limits are lifted (the per-address limits
stay; every virtual supporter has an address of their own)."""

from picketline.settings import *  # noqa: F403

UNLIMITED = 10**9
SUPPORTERS_RATE_LIMITS = {
    "default": ((UNLIMITED, 3600), (5, 3600)),
    "uploads": ((UNLIMITED, 3600), (0, 3600)),
}

# Keep each web process's database connection for the whole run (production reconnects every
# 60 s): the benchmark pins the backends serving it to the server's core and reads their CPU
# time, which a new backend, unpinned and unknown, would escape.
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
