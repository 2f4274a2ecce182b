"""The version of the public content: any organiser edit bumps it, and the anonymous page cache
keys every page by it, so an edit is visible at once on every page and in every process.

Where the version lives decides whether "every process" is true:

- With Redis configured (``REDIS_URL``) the page cache itself is shared, possibly by several
  machines, so the version is a counter in that same cache.
- Without Redis each web worker process has its own local-memory cache, so the version cannot
  live there. It is an 8-byte counter in a file in the data folder, mapped into memory in every
  process (``MAP_SHARED``). All processes on the machine share the kernel's page for that file,
  so an increment written by one process is seen by the next read in every other one — no
  system call on the read side, no time-to-live. Writers take an exclusive ``flock``.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

VERSION_KEY = "picketline:content-version"
VERSION_FILE_NAME = "content-version"
_SIZE = 8


class FileCounter:
    """A 64-bit counter in a file, read through a shared memory map (cheap enough for every
    request) and incremented under an exclusive lock (rare: organiser edits)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(fd).st_size < _SIZE:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_size < _SIZE:
                    os.pwrite(fd, (1).to_bytes(_SIZE, "little"), 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        return fd

    def _mapping(self) -> mmap.mmap:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    fd = self._open()
                    try:
                        self._map = mmap.mmap(fd, _SIZE, mmap.MAP_SHARED, mmap.PROT_READ)
                    finally:
                        os.close(fd)
        return self._map

    def get(self) -> int:
        return int.from_bytes(self._mapping()[:_SIZE], "little")

    def increment(self) -> int:
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            value = int.from_bytes(os.pread(fd, _SIZE, 0), "little") + 1
            os.pwrite(fd, value.to_bytes(_SIZE, "little"), 0)
            return value
        finally:
            os.close(fd)  # releases the lock


_counter: FileCounter | None = None
_counter_dir: object = None


def _file_counter() -> FileCounter:
    global _counter, _counter_dir
    data_dir = settings.DATA_DIR
    if _counter is None or _counter_dir != data_dir:
        _counter = FileCounter(Path(data_dir) / VERSION_FILE_NAME)
        _counter_dir = data_dir
    return _counter


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def content_version() -> int:
    """The current version of everything public; changes whenever an organiser edits it."""
    if not _shared_cache():
        return _file_counter().get()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


T = TypeVar("T")

# How long a record kept by ``kept_until_edited`` may be served at most: an edit that reaches
# the database without ``content_changed`` (a shell, a migration) shows within this time.
KEPT_SECONDS = 60


def kept_until_edited(name: str, load: Callable[[], T]) -> T:
    """``load()``'s result, kept in the cache under ``name`` until an organiser edits anything
    public (the content version changes) and for at most ``KEPT_SECONDS``. For what every
    request of a public page reads alike (an action with its texts); never for anything
    personal."""
    key = f"kept:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, KEPT_SECONDS)
    return value


def bump_content_version() -> None:
    """Invalidate every cached page now (``content_changed`` does it after the commit)."""
    if not _shared_cache():
        _file_counter().increment()
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (fresh cache): any new value invalidates
        cache.add(VERSION_KEY, 2, timeout=None)


def content_changed() -> None:
    """Call after anything public changes; runs once the transaction commits."""
    transaction.on_commit(bump_content_version)


class PublicContent(models.Model):
    """Base for models shown on public pages: saving or deleting one refreshes cached pages,
    unless ``affects_public_pages()`` says the row is not on them."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        affects = self.affects_public_pages()  # before the write: it may look at the stored row
        super().save(*args, **kwargs)
        if affects:
            content_changed()

    def delete(self, *args, **kwargs):
        affects = self.affects_public_pages()
        result = super().delete(*args, **kwargs)
        if affects:
            content_changed()
        return result

    def affects_public_pages(self) -> bool:
        """Whether writing this row, as it is now and as it is stored, can change a public page.
        Rows that wait for a moderator override it: a spike of new submissions must not make
        every cached page stale for everyone."""
        return True
