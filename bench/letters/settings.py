"""Production settings for the letters benchmark, with one change: the load generator sends
every request from 127.0.0.1, so the per-client rate limit of the letter form is lifted (the
per-address limit stays; every benchmark supporter has their own address)."""

from picketline.settings import *  # noqa: F403

SUPPORTERS_RATE_LIMITS = {
    "letters": ((10**9, 3600), (5, 3600)),
    "default": ((10**9, 3600), (5, 3600)),
}
