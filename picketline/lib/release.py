"""Which release of Picketline a process runs, and the cache keys that carry it.

During a rolling deploy, processes of the old and the new release share one Redis. A page the
old release cached (its form, its hashed static addresses) or a record it kept (pickled with
the old models' fields) must not be served by the new one, nor the other way round. So every
key of the ``default`` cache (pages, fragments, kept records, the content version) carries the
release; the ``limits`` cache does not, so a deploy resets no one's counters.

The release is named by the setting ``PICKETLINE_RELEASE`` when the deployment sets it (a git commit, a
version), or else by the package's own files (code, templates, translations, static sources) and
the versions of the installed distributions: a deploy that only upgrades Django (a security
release) starts a new cache too, since a record pickled by one Django version is not for another.
Two hosts that run the same files share their cache; an edited template starts a new one.
Either way a key carries 16 hex digits of it (``web.cache`` keeps page keys short enough).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path

from django.conf import settings

PACKAGE = Path(__file__).resolve().parent.parent
DIGITS = 8  # bytes: 16 hex digits in a key
COMPILED = (".pyc", ".mo")  # made from the source beside them (``package_digest``)


@functools.cache
def release() -> str:
    """16 hex digits naming the release: of ``PICKETLINE_RELEASE``, or else of the package's
    files (read once per process, about 50 ms)."""
    named = settings.PICKETLINE_RELEASE.strip()
    if named:
        return hashlib.blake2b(named.encode(), digest_size=DIGITS).hexdigest()
    both = f"{package_digest(PACKAGE)}\n{installed()}"
    return hashlib.blake2b(both.encode(), digest_size=DIGITS).hexdigest()


def installed() -> str:
    """The installed distributions with their versions, one a line ("django-5.2.19.dist-info"):
    the names of their metadata folders in the environment's site-packages, listed without
    reading them (reading every distribution's metadata takes about 150 ms)."""
    found = set()
    for folder in sys.path:
        if folder.endswith(("site-packages", "dist-packages")) and os.path.isdir(folder):
            found.update(name for name in os.listdir(folder) if name.endswith(".dist-info"))
    return "\n".join(sorted(found))


def package_digest(root: Path) -> str:
    """16 hex digits that change when any file under ``root`` changes, is added or goes.
    What is compiled from a source beside it is left out, as it follows the source: bytecode,
    and the translations' ``.mo`` files, which ``picketline serve`` writes at start-up when
    they look older than their ``.po`` (``cli``) while a worker started with it may already
    have read the files: the two processes would name two releases and share no cache."""
    digest = hashlib.blake2b(digest_size=DIGITS)
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(COMPILED) or name.startswith("."):
                continue
            path = Path(folder, name)
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """The ``KEY_FUNCTION`` of the ``default`` cache: Django's own shape, with the release."""
    return f"{key_prefix}:{release()}:{version}:{key}"
