"""Uploaded files no row refers to any more, swept out of the media storages.

A file can outlive its row: a deletion after commit that failed, a row deleted by a cascade or
by the admin, a request that broke off after storing its file, a replaced picture. Every app
that keeps files names, in its ``AppConfig.ready()``, the folders they live in and the names its
rows refer to::

    orphans.register("default", "events/reports", referenced=...)
    orphans.register_file_field(ReportPhoto, "image")  # the same, read from a FileField

``delete_unreferenced()`` (the periodic job ``jobs.jobs.delete_orphan_files``) then deletes
every file under a registered folder that no registered row names and that is older than
``GRACE``. The names every app refers to are gathered per storage before any folder is read, so
one app's folder may lie inside another's (``originals/replies`` in ``originals``) without
either losing a file. Nothing outside a registered folder is touched: static files and the
storages' other contents are not uploads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, default_storage, storages
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# A file younger than this may belong to a request still in flight (stored before its row).
GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Folder:
    """A folder of a storage whose files rows refer to; ``folder`` "" is the storage's root."""

    storage: str
    folder: str
    referenced: Callable[[], Iterable[str]]
    field: models.FileField | None = None

    def holds(self, storage: str, name: str) -> bool:
        """Whether ``name`` of ``storage`` lies in this folder (or below)."""
        return storage == self.storage and inside(self.folder, name)


FOLDERS: list[Folder] = []


def inside(folder: str, name: str) -> bool:
    """Whether ``name`` (a file or a folder) lies under ``folder`` ("" is the root)."""
    return not folder or name.startswith(f"{folder}/")


def register(
    storage: str,
    folder: str,
    referenced: Callable[[], Iterable[str]],
    field: models.FileField | None = None,
) -> None:
    """Sweep ``folder`` of ``storages[storage]``; ``referenced()`` gives the names (in that
    storage, folder included) that rows refer to, asked at each sweep."""
    if storage not in settings.STORAGES:
        raise ImproperlyConfigured(f"orphans: no storage {storage!r}")
    entry = Folder(storage, folder.strip("/"), referenced, field)
    if not any(
        (known.storage, known.folder, known.field) == (entry.storage, entry.folder, entry.field)
        for known in FOLDERS
    ):
        FOLDERS.append(entry)


def storage_alias(field: models.FileField) -> str:
    """Which of ``STORAGES`` a file field writes to."""
    if field.storage is default_storage:
        return "default"
    for alias in settings.STORAGES:
        if storages[alias] is field.storage:
            return alias
    raise ImproperlyConfigured(f"orphans: {field} writes to a storage not in STORAGES")


def register_file_field(model: type[models.Model], name: str) -> None:
    """Sweep the ``upload_to`` folder of a model's file field, keeping what its rows name."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.FileField) or not isinstance(field.upload_to, str):
        raise ImproperlyConfigured(f"orphans: {model.__name__}.{name} needs a folder upload_to")

    def referenced() -> Iterable[str]:
        return model._base_manager.exclude(**{name: ""}).values_list(name, flat=True)

    register(storage_alias(field), field.upload_to, referenced, field)


def stored_names(storage: Storage, folder: str) -> Iterator[str]:
    """Every file under ``folder`` of a storage (its whole tree)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from stored_names(storage, prefix + sub)


def delete_unreferenced(now: datetime | None = None) -> int:
    """Delete every file of a registered folder that no row names and that is older than
    ``GRACE``; returns how many went. Safe to run twice and to kill half-way."""
    oldest = (now or timezone.now()) - GRACE
    keep: dict[str, set[str]] = {}
    for entry in FOLDERS:  # every name first: a file stored after this is too young to go
        keep.setdefault(entry.storage, set()).update(entry.referenced())
    done = 0
    for alias, names in keep.items():
        storage = storages[alias]
        folders = {entry.folder for entry in FOLDERS if entry.storage == alias}
        # A folder inside another registered one is read with it.
        tops = {f for f in folders if not any(inside(other, f) for other in folders - {f})}
        for folder in sorted(tops):
            for name in list(stored_names(storage, folder)):
                if name in names:
                    continue
                # A storage's own errors (a bucket's client errors are not OSError) stop only
                # the file they concern: it is kept, and tried again next time.
                try:
                    if storage.get_modified_time(name) >= oldest:
                        continue
                except FileNotFoundError:
                    continue  # gone since the listing
                except Exception:
                    logger.exception("orphans: the age of %s could not be read", name)
                    continue
                try:
                    storage.delete(name)
                except Exception:
                    logger.exception("orphans: %s could not be deleted", name)
                    continue
                done += 1
    return done
