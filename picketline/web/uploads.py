"""One policy for every upload a visitor sends: size while it streams, pixels before decoding.

Django keeps small uploads in memory; a video must never be held there. ``LimitedUploadHandler``
writes every file to a temporary file in our own private upload folder (so it can be moved into
place without a copy), counts the bytes as they arrive and, past the limit, deletes what it wrote
and skips the rest of that file. The view learns about it from ``request.upload_refused``. An
upload that breaks off (a closed connection, a truncated body) is deleted at once.

``check_picture_header(data)`` reads only a picture's header (Pillow's ``Image.open`` decodes
no pixel) and refuses one that declares more pixels than ``PICKETLINE_IMAGE_MAX_PIXELS``, so a
small file that would unpack into gigabytes (a decompression bomb) costs nothing to refuse.

``delete_leftovers()`` empties this machine's upload folder of what a killed process left there
(an upload cut off by gunicorn's SIGKILL, a worker's copy of an original after the OOM killer),
whatever storage keeps the originals: every worker process runs it hourly, ``picketline serve``
at start, and ``picketline sweep_scratch`` on a machine that runs no worker.
"""

from __future__ import annotations

import io
import logging
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Room for the other fields of the form besides the file itself.
FORM_OVERHEAD = 1_000_000


# Uploads in flight and scratch copies, in the private storage's folder on this machine.
FOLDER = "uploads"

# What in the upload folder has not been written to for this long belongs to no live request
# or try. An upload in flight is written to as its bytes arrive, and a web process silent for
# 60 s is killed (``picketline serve``'s ``--timeout``). A try at a video's published copy lasts
# at most two hours (``submissions.models.PROCESSING_LASTS_AT_MOST``: ffmpeg is stopped after
# one, ``submissions.media.ENCODE_TIMEOUT``, and the copies come on top), and its copy of the
# original is written only at its start. Three times that leaves room for a slow disk or
# bucket, and a copy a killed try left is gone within seven hours.
LEFTOVER_AGE = timedelta(hours=6)


def upload_dir() -> Path:
    path = Path(settings.SUBMISSIONS_PRIVATE_ROOT) / FOLDER
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def delete_leftovers() -> int:
    """Delete, on this machine's disk, every file under ``upload_dir()`` not written to for
    ``LEFTOVER_AGE``, then the folders (``work-*``) that left empty; returns how many files
    went.

    A symbolic link inside is neither followed nor deleted: nothing outside the folder is
    touched (the folder itself may be a link to another disk). Every step goes by file
    descriptor, so a folder swapped for a link during the sweep leads nowhere. A file gone
    meanwhile (the storage sweep, ``web.orphans``, sees the same files when the originals are
    on local disk) is simply skipped. Safe to run twice, on several processes, and to kill."""
    oldest = time.time() - LEFTOVER_AGE.total_seconds()
    # Folders whose entries had not changed for LEFTOVER_AGE before the sweep: no live try
    # uses them. Their own times change as their files go, so they are noted first.
    idle: set[tuple[int, int]] = set()
    done = 0
    top = os.path.realpath(upload_dir())
    for _path, folders, files, fd in os.fwalk(top, topdown=False, follow_symlinks=False):
        here = os.fstat(fd)
        if here.st_mtime < oldest:
            idle.add((here.st_dev, here.st_ino))
        for name in files:
            done += _delete_if_old(name, fd, oldest)
        for name in folders:
            try:
                found = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISDIR(found.st_mode) and (found.st_dev, found.st_ino) in idle:
                    os.rmdir(name, dir_fd=fd)
            except OSError:  # gone meanwhile, or not empty: a young file stays in it
                continue
    return done


def _delete_if_old(name: str, folder_fd: int, oldest: float) -> int:
    try:
        found = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        if not stat.S_ISREG(found.st_mode) or found.st_mtime >= oldest:
            return 0
        os.unlink(name, dir_fd=folder_fd)
    except FileNotFoundError:
        return 0  # deleted meanwhile
    except OSError:
        logger.exception("uploads: the leftover %s could not be deleted", name)
        return 0
    return 1


class StreamedUpload(UploadedFile):
    """An uploaded file kept in a named temporary file, deleted when closed unless moved."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=upload_dir())  # noqa: SIM115
        super().__init__(file, name, content_type, size, charset)

    def temporary_file_path(self) -> str:
        return self.file.name

    def close(self) -> None:
        try:
            self.file.close()
        except FileNotFoundError:
            pass  # moved into place already


class _NoFile:
    def close(self) -> None:
        pass


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest, max_bytes: int, max_files: int = 1) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files_seen = 0
        self.request_too_large = False
        request.upload_refused = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A request that announces more than the files could ever need is not read into files.
        self.request_too_large = content_length > self.max_bytes * self.max_files + FORM_OVERHEAD

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        if self.request_too_large or self.files_seen > self.max_files:
            self.request.upload_refused = True
            # The parser closes ``self.file`` on a skip; keep the previous (complete) file open.
            self.file = _NoFile()
            raise SkipFile
        self.file = StreamedUpload(self.file_name, self.content_type, 0, self.charset)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.max_bytes:
            self.request.upload_refused = True
            raise SkipFile  # the parser closes (and so deletes) self.file
        with self.deleted_on_failure():
            self.file.write(raw_data)
        return None

    @contextmanager
    def deleted_on_failure(self) -> Iterator[None]:
        """A write that fails (a full disk) ends the request with an error that the parser
        does not catch, and the part already written would stay on the disk until the file
        object is collected: delete it now, on the disk that has no room."""
        try:
            yield
        except OSError:
            with suppress(OSError):  # closing flushes, which fails the same way
                self.file.close()
            raise

    def upload_interrupted(self) -> None:
        # The body ended inside a file: delete what arrived of it now, not when collected.
        self.file.close()

    def file_complete(self, file_size: int) -> UploadedFile:
        with self.deleted_on_failure():
            self.file.seek(0)  # flushes what is still buffered
        self.file.size = file_size
        return self.file


class FilesNotKept(forms.Form):
    """For a form with file fields, first among its bases. A form sent back with a
    mistake keeps no file: the browser shows the file field empty again. So every file field
    that had a file in the POST, and no error of its own, says so beside it."""

    def full_clean(self) -> None:
        super().full_clean()
        if not (self.is_bound and self.errors):
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField) or name in self.errors:
                continue
            key = self.add_prefix(name)
            sent = (
                self.files.getlist(key) if hasattr(self.files, "getlist") else [self.files.get(key)]
            )
            if any(sent):
                self.add_error(name, files_not_kept(field))


def files_not_kept(field: forms.FileField) -> str:
    if getattr(field.widget, "allow_multiple_selected", False):
        return _(
            "Please choose the files again: we keep no file from a form that has a mistake, "
            "so none was stored."
        )
    return _(
        "Please choose the file again: we keep no file from a form that has a mistake, so it "
        "was not stored."
    )


def use_limited_uploads(request: HttpRequest, max_bytes: int, max_files: int = 1) -> None:
    """Install the handler; call before anything reads ``request.POST`` or ``request.FILES``."""
    request.upload_handlers = [LimitedUploadHandler(request, max_bytes, max_files)]


# Pictures ------------------------------------------------------------------------------------


class PictureRefused(ValueError):
    """A picture refused before decoding; the message is meant for the person who sent it."""


class TooManyPixels(PictureRefused):
    """The picture declares more pixels than the budget (a decompression bomb, or just huge)."""


def max_picture_pixels() -> int:
    return int(getattr(settings, "PICKETLINE_IMAGE_MAX_PIXELS", 24_000_000))


def check_picture_header(data: bytes) -> tuple[str, int, int]:
    """The format, width and height a picture declares, read from its header only.

    PictureRefused when it is no picture Pillow knows, or declares more pixels than the
    budget: decoding it (``load``, ``verify``, any conversion) would hold them all in memory."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format or "", probe.size
    except Image.DecompressionBombError:
        raise TooManyPixels(_too_many_pixels()) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PictureRefused(_("This file is not a picture we can read.")) from None
    if width * height > max_picture_pixels():
        raise TooManyPixels(_too_many_pixels())
    return kind, width, height


def _too_many_pixels() -> str:
    megapixels = max_picture_pixels() // 1_000_000
    return _(
        "This picture has too many pixels to check safely: at most %(megapixels)d megapixels "
        "(for example 6000 × 4000), please. Save it smaller and send it again."
    ) % {"megapixels": megapixels}
