"""docs/promises.md maps every sentence we say to supporters about their data to the tests
that prove it. A renamed or deleted test must fail here rather than leave a promise unproven."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMISES = ROOT / "docs" / "promises.md"
# `tests/…/module.py::test_name`, or `tests/…/module.py` for a whole module.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def promise_rows() -> list[str]:
    lines = PROMISES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("| ") and not line.startswith("| ---")][1:]


def named_tests(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_promise_names_at_least_one_test():
    rows = promise_rows()
    assert len(rows) >= 40
    unproven = [row.split(" | ")[0] for row in rows if not REFERENCE.search(row.split(" | ")[-1])]
    assert unproven == []


def test_every_test_the_map_names_exists():
    missing = []
    for row in promise_rows():
        for path, name in REFERENCE.findall(row):
            module = ROOT / path
            if not module.is_file():
                missing.append(path)
            elif name and name not in named_tests(module):
                missing.append(f"{path}::{name}")
    assert missing == []


def test_it_notices_a_test_that_is_gone(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text("def test_kept():\n    assert True\n\ndef helper():\n    pass\n")
    assert named_tests(module) == {"test_kept"}
    found = REFERENCE.findall("`tests/a/test_b.py::test_c`, `tests/a/test_d.py`")
    assert found == [("tests/a/test_b.py", "test_c"), ("tests/a/test_d.py", "")]
