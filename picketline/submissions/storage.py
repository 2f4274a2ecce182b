"""Where submission files live on disk.

Originals: ``SUBMISSIONS_PRIVATE_ROOT/originals/`` — never served, deleted after a while.
Published copies: ``MEDIA_ROOT/submissions/<kind>/`` under random names, served only by our view
and only while their item is public. Names are stored relative to their root.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from picketline.submissions.models import media_root, private_root


def _random_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{extension}"


def keep_original(temporary_path: str, extension: str) -> str:
    """Move an uploaded temporary file into the originals folder (same file system: a rename)."""
    folder = private_root() / "originals"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"originals/{_random_name(extension)}"
    os.replace(temporary_path, private_root() / relative)
    return relative


def save_public(kind: str, content: bytes, extension: str) -> str:
    folder = media_root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{kind}/{_random_name(extension)}"
    partial = media_root() / (relative + ".part")
    partial.write_bytes(content)
    partial.replace(media_root() / relative)
    return relative


def new_public_path(kind: str, extension: str) -> tuple[str, Path]:
    folder = media_root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{kind}/{_random_name(extension)}"
    return relative, media_root() / relative


def new_private_path(extension: str) -> tuple[str, Path]:
    folder = private_root() / "originals"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"originals/{_random_name(extension)}"
    return relative, private_root() / relative
