"""Production settings for the fault suite, with one change: every request of the load comes
from 127.0.0.1, so the per-client rate limits are lifted (the per-address limits stay; every
supporter of the load has an address of their own)."""

from picketline.settings import *  # noqa: F403

SUPPORTERS_RATE_LIMITS = {
    "letters": ((10**9, 3600), (5, 3600)),
    "uploads": ((10**9, 3600), (5, 3600)),
    "default": ((10**9, 3600), (5, 3600)),
}
