"""Files no row refers to leave the media storages (``web.orphans``, run by the job
``jobs.jobs.delete_orphan_files``): every model's file field is swept, and the sweep touches
nothing outside the folders the apps registered."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import models

from picketline.jobs import jobs
from picketline.web import orphans
from tests.fixtures.media import use_media_folders

pytestmark = pytest.mark.django_db


def every_file_field() -> list[tuple[str, models.FileField]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        if model.__module__.startswith("picketline.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def an_hour_and_more_ago(*paths: Path) -> None:
    then = time.time() - 3700
    for path in paths:
        os.utime(path, (then, then))


def test_it_sweeps_the_folder_of_every_file_field_and_keeps_what_its_rows_name():
    fields = every_file_field()
    assert {"events.ReportPhoto.image", "registers.Person.photo"} <= {name for name, _ in fields}
    for name, field in fields:
        assert isinstance(field.upload_to, str), f"{name}: upload_to must be a folder"
        alias = orphans.storage_alias(field)
        stored_as = field.generate_filename(None, "picture.jpg")
        assert any(entry.holds(alias, stored_as) for entry in orphans.FOLDERS), (
            f"{name}: register its folder with web.orphans in its app's ready()"
        )
        assert any(entry.field is field for entry in orphans.FOLDERS), (
            f"{name}: orphans.register_file_field() keeps the files its rows name"
        )


def test_it_leaves_files_outside_the_registered_folders_alone(settings, tmp_path):
    media_root, private_root = use_media_folders(settings, tmp_path)
    not_uploads = [media_root / "demo" / "logo.png", media_root / "card.png"]
    not_uploads.append(private_root / "notes" / "keep.txt")
    swept = [media_root / "events" / "reports" / "left.jpg", private_root / "uploads" / "x.upload"]
    for path in [*not_uploads, *swept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"bytes")
    an_hour_and_more_ago(*not_uploads, *swept)
    jobs.delete_orphan_files()
    assert [path.exists() for path in not_uploads] == [True, True, True]
    assert [path.exists() for path in swept] == [False, False]


class ClientError(Exception):
    """What a bucket's client raises: not an OSError."""


class RefusingOneFile(FileSystemStorage):
    def delete(self, name: str) -> None:
        if "stuck" in name:
            raise PermissionError(name)
        if "refused" in name:
            raise ClientError(name)
        super().delete(name)

    def get_modified_time(self, name: str):
        if "unreadable" in name:
            raise ClientError(name)
        return super().get_modified_time(name)


def test_a_file_that_cannot_be_deleted_does_not_keep_the_others(settings, tmp_path):
    media_root, _private_root = use_media_folders(settings, tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.RefusingOneFile"},
    }
    names = ("a.jpg", "refused.jpg", "stuck.jpg", "unreadable.jpg", "z.jpg")
    left = [media_root / "events" / "reports" / name for name in names]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"bytes")
    an_hour_and_more_ago(*left)
    assert orphans.delete_unreferenced() == 2
    assert [path.name for path in left if path.exists()] == [
        "refused.jpg",
        "stuck.jpg",
        "unreadable.jpg",
    ]
