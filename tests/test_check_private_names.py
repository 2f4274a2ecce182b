"""scripts/check_private_names.py: flags our code reaching for a dependency's private names."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_private_names.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_private_names", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def findings(checker, tmp_path: Path, source: str) -> list[str]:
    sample = tmp_path / "sample.py"
    sample.write_text(textwrap.dedent(source))
    return [line.split(": ", 1)[1] for line in checker.check([str(sample)])]


def test_it_flags_every_kind_of_private_access(checker, tmp_path):
    found = findings(
        checker,
        tmp_path,
        """
        import django.db._private
        from django.middleware.csrf import _unmask_cipher_token
        from django_tasks_db.management.commands.db_worker import Worker

        def view(request, form, instance):
            request._cached = 1
            form._errors = None
            getattr(instance, "_state", None)
            return instance._state.adding
        """,
    )
    assert found == [
        "imports from private module django.db._private",
        "imports private _unmask_cipher_token from django.middleware.csrf",
        "imports django_tasks_db.management.commands.db_worker: run the command with "
        "call_command instead",
        "uses private attribute _cached of request",
        "uses private attribute _errors of form",
        "uses private attribute _state of instance",
        "uses private attribute _state of instance",
    ]


def test_it_passes_our_own_names_and_public_underscore_api(checker, tmp_path):
    found = findings(
        checker,
        tmp_path,
        """
        from collections import namedtuple
        from django.core.management import call_command
        from picketline.mail import outbox
        from picketline.web._helpers import _shared
        from ._siblings import _helper

        Point = namedtuple("Point", "x y")
        _CACHE = {}

        class Counter:
            def __init__(self):
                self._count = 0

            def merge(self, other):
                return self._count + other._count + self._bump()

            def _bump(self):
                return type(self).__name__

        def describe(model, point, counter):
            call_command("db_worker", batch=True)
            _CACHE.clear()
            return (
                model._meta.label, model._default_manager, point._replace(x=1), point._asdict(),
                outbox._describe, counter._bump(), model.__class__,
            )
        """,
    )
    assert found == []


def test_a_clean_file_exits_zero_and_a_finding_exits_one(checker, tmp_path, capsys):
    clean = tmp_path / "clean.py"
    clean.write_text("from django.db import models\n")
    dirty = tmp_path / "dirty.py"
    dirty.write_text("from django.db import models\nmodels.base._something\n")

    assert checker.main([str(clean)]) == 0
    assert checker.main([str(dirty)]) == 1
    assert f"{dirty}:2: uses private attribute _something of models.base" in capsys.readouterr().out


def test_the_code_base_has_no_new_private_names(checker, monkeypatch):
    monkeypatch.chdir(SCRIPT.parent.parent)
    assert checker.check(["picketline", "bench"]) == []
