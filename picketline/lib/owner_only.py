"""Keep a data folder readable by its owner only: folders 0700, files 0600.

The demo keeps its database, keys and what supporters send in under one data folder. The
process sets ``os.umask(0o077)`` before writing anything, so new files are born private;
``restrict_to_owner`` closes up what an older run left readable to others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def restrict_to_owner(*roots: Path) -> None:
    """Give every folder and file under ``roots`` (the roots included) owner-only modes.
    Symbolic links are left alone: they may point outside, and their own mode means nothing."""
    for root in roots:
        if not root.exists() or root.is_symlink():
            continue
        root.chmod(FOLDER_MODE if root.is_dir() else FILE_MODE)
        for folder, dirs, files in os.walk(root):
            for name in dirs:
                path = Path(folder, name)
                if not path.is_symlink():
                    path.chmod(FOLDER_MODE)
            for name in files:
                path = Path(folder, name)
                if stat.S_ISREG(path.lstat().st_mode):
                    path.chmod(FILE_MODE)
