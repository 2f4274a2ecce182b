"""Production settings for the letters benchmark, with one change: the load generator sends
every request from 127.0.0.1, so the per-client rate limit of the letter form is lifted (the
per-address limit stays; every benchmark supporter has their own address)."""

from picketline.settings import *  # noqa: F403

SUPPORTERS_RATE_LIMITS = {
    "letters": ((10**9, 3600), (5, 3600)),
    "default": ((10**9, 3600), (5, 3600)),
}

# Keep each web process's database connection for the whole run (production reconnects every
# 60 s): the benchmark pins the backends serving it to the server's core and reads their CPU
# time, which a new backend, unpinned and unknown, would escape.
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
