"""Where submission files are kept: always through Django's storage API (``STORAGES``), so the
same calls work on local disk and on S3-compatible object storage.

Originals: ``originals/<random>`` in the ``private`` storage — never served to the public,
deleted after a while. Published copies: ``submissions/<kind>/<random>`` in the ``default``
storage, served only by our views and only while their item is public. A row keeps the name
within its storage (a published name without the ``submissions/`` folder).

Work that needs a file on disk (ffmpeg) copies it into a scratch folder of its own machine
(``scratch_folder``) and stores what it made; nothing assumes a disk shared between machines.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

from picketline.submissions.models import private_files, public_files, public_name
from picketline.web import unavailable
from picketline.web.uploads import FOLDER, upload_dir


def _random_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{extension}"


def keep_original(upload: IO[bytes] | str, extension: str) -> str:
    """Store an uploaded original (an open file, or a path on disk) in the private storage.
    On local disk an upload's temporary file is moved into place rather than copied."""
    name = f"originals/{_random_name(extension)}"
    if isinstance(upload, str):
        with open(upload, "rb") as source:
            return private_files().save(name, File(source))
    return private_files().save(name, upload if isinstance(upload, File) else File(upload))


def save_public(kind: str, content: bytes, extension: str) -> str:
    relative = f"{kind}/{_random_name(extension)}"
    public_files().save(public_name(relative), ContentFile(content))
    return relative


def store_public_file(kind: str, path: Path) -> str:
    """Store a file the worker made (a re-encoded video, a poster) as a published copy."""
    relative = f"{kind}/{_random_name(path.suffix.lstrip('.'))}"
    with path.open("rb") as made:
        public_files().save(public_name(relative), File(made))
    return relative


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A private folder on this machine for work on copies, deleted when the work ends."""
    return tempfile.TemporaryDirectory(prefix="work-", dir=upload_dir())


def copy_to_disk(storage: Storage, name: str, target: Path) -> Path:
    with storage.open(name, "rb") as stored, target.open("wb") as copy:
        shutil.copyfileobj(stored, copy, 1024 * 1024)
    return target


def passes_by_itself(error: BaseException) -> bool:
    """Whether ``error`` says the storage or a disk was away for a while, so that the same work
    may succeed later: what makes the site answer 503 (``web.unavailable``: the object storage
    not answering, answering 5xx or asking to try again, the database away, a full disk), or
    any other error of a local volume (unmounted, read-only, gone stale), but not one file
    gone from a storage that answers (``one_file_gone``): that stays gone. Only the worker
    tries those again: in a request such an error may as well be a file that is not there."""
    if unavailable.passes_by_itself(error):
        return True
    return isinstance(error, OSError) and not one_file_gone(error)


def one_file_gone(error: BaseException) -> bool:
    """Whether ``error`` says a file of the private storage is not there while the storage
    itself answers: S3 answered 404 for the object, or the file is missing under the private
    folder while that folder is there, readable and holds more than the scratch folder (an
    empty one is taken for a volume not mounted). A missing or unreadable folder, or a file
    missing elsewhere (in the scratch folder), says a volume is away."""
    if isinstance(error, unavailable.StorageRefusal):
        return unavailable.storage_answer(error)[0] == 404
    if not isinstance(error, FileNotFoundError):
        return False
    # django-storages turns S3's 404 into FileNotFoundError, raised while handling it.
    answer = error.__cause__ or error.__context__
    if isinstance(answer, unavailable.StorageRefusal):
        return one_file_gone(answer)
    private = private_files()
    if not isinstance(private, FileSystemStorage) or not error.filename:
        return False
    root = Path(private.location).resolve()
    missing = Path(os.fsdecode(error.filename)).resolve()
    if not missing.is_relative_to(root) or missing.is_relative_to(root / FOLDER):
        return False
    # The scratch folder (``upload_dir``) is made on demand, so it proves nothing.
    try:
        with os.scandir(root) as entries:
            return any(entry.name != FOLDER for entry in entries)
    except OSError:  # not there, or not readable: the storage is away
        return False
