"""The demo from a copy of the project with nothing beside it, as on a fresh clone.

The project reads nothing outside its own tree: a copy of ``picketline/`` alone in a fresh
temporary folder loads the whole demo in a fresh process, and a letter from Germany still
reaches the Belarusian embassy in Berlin.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import picketline

PACKAGE = Path(picketline.__file__).resolve().parent
BERLIN = "Embassy of the Republic of Belarus in the Federal Republic of Germany"

# Run in the copy after the demo is loaded: which copy was imported, and whom a German writes to.
REPORT = """
import json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "picketline.settings"
django.setup()
import picketline
from picketline.letters.models import LetterAction
action = LetterAction.objects.get(slug="release-the-unionists")
print(json.dumps({
    "package": picketline.__file__,
    "targets": {t.name: t.postal_address for t in action.targets_for("DE")},
}))
"""


def test_a_copy_with_nothing_beside_it_loads_the_embassy_in_berlin(tmp_path):
    clone = tmp_path.resolve() / "picketline-clone"
    shutil.copytree(PACKAGE, clone / "picketline", ignore=shutil.ignore_patterns("__pycache__"))
    assert [p.name for p in clone.parent.iterdir()] == ["picketline-clone"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(clone),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PICKETLINE_DEMO": "1",
        "PICKETLINE_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    # What a newcomer runs (scripts/demo), without starting the servers.
    run("-m", "picketline.cli", "demo", "--no-serve", "--original-dates")
    report = json.loads(run("-c", REPORT))

    assert Path(report["package"]).resolve().is_relative_to(clone)
    # The embassy, not the fallback ministry; the President's Administration gets every letter.
    assert report["targets"].keys() == {
        BERLIN,
        "Administration of the President of the Republic of Belarus",
    }
    assert "Am Treptower Park 32, 12435 Berlin" in report["targets"][BERLIN]
