"""The demo's database, keys and media are readable by their owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from picketline.lib.owner_only import restrict_to_owner


def modes_under(root: Path) -> dict[Path, int]:
    found = {root: stat.S_IMODE(root.stat().st_mode)}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            found[path] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_restrict_to_owner_closes_folders_and_files_left_open(tmp_path):
    (tmp_path / "media" / "photos").mkdir(parents=True, mode=0o755)
    (tmp_path / "media" / "photos" / "p.jpg").write_bytes(b"x")
    (tmp_path / "media" / "photos" / "p.jpg").chmod(0o644)
    restrict_to_owner(tmp_path / "media")
    assert modes_under(tmp_path / "media") == {
        tmp_path / "media": 0o700,
        tmp_path / "media" / "photos": 0o700,
        tmp_path / "media" / "photos" / "p.jpg": 0o600,
    }


def test_the_demo_makes_its_data_folder_owner_only(tmp_path):
    data = tmp_path / "data"
    # What an older run left readable by everyone on the machine.
    (data / "media").mkdir(parents=True)
    data.chmod(0o755)
    (data / "media").chmod(0o755)
    (data / "media" / "old.jpg").write_bytes(b"x")
    (data / "media" / "old.jpg").chmod(0o644)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PICKETLINE_DATA_DIR": str(data),
    }
    result = subprocess.run(
        [sys.executable, "-m", "picketline.cli", "demo", "--no-serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # Both demo logins are printed, the partner's staff with the partner it works for.
    password = (data / "partner_staff_password").read_text().strip()
    assert "partner staff of International Trade Union Confederation (ITUC)" in result.stdout
    assert "ituc-staff" in result.stdout and password in result.stdout
    modes = modes_under(data)
    assert data / "picketline.sqlite3" in modes
    assert (data / "private").is_dir()
    open_to_others = {p: oct(m) for p, m in modes.items() if m & 0o077}
    assert open_to_others == {}
    assert modes[data / "picketline.sqlite3"] == 0o600
    assert modes[data / "media"] == modes[data / "private"] == 0o700
