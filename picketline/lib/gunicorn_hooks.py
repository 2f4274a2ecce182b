"""Gunicorn server hooks for ``picketline serve`` (``--config python:picketline.lib.gunicorn_hooks``).

A web process holds a few hundred thousand long-lived objects (Django, the URL patterns,
translations, templates), all of which Python's collector walks in every full collection: a
pause of tens of milliseconds that every request queued behind it waits through. Once the
application is loaded, and again when its first requests have filled the lazy caches, those
objects are moved out of the collector's way (``gc.freeze``); what requests allocate is
collected as before.
"""

from __future__ import annotations

import gc

# Requests after which the caches filled on first use (URL resolvers, templates) are frozen too.
WARM_AFTER = 200


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's hook signature
    _freeze()


def post_request(worker, req, environ, resp) -> None:  # noqa: ANN001
    if worker.nr == WARM_AFTER:
        _freeze()
