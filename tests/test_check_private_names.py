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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """
            from django.core.mail.backends import smtp

            class Backend(smtp.EmailBackend):
                def _send(self, message):
                    return super()._send(message)
            """,
            "Backend overrides private _send of a dependency",
            id="override-of-a-private-method",
        ),
        pytest.param(
            """
            from django import forms

            class Form(forms.Form):
                def clean(self):
                    self._errors = None
            """,
            "uses private _errors that self inherits from a dependency",
            id="private-attribute-the-base-defines",
        ),
        pytest.param(
            """
            from somewhere_unknown import Base

            class Thing(Base):
                def run(self):
                    return self._hidden
            """,
            "reads _hidden, which only a dependency's base class can set",
            id="read-of-an-attribute-nobody-here-sets",
        ),
        pytest.param(
            """
            from django.core.mail.backends import smtp

            smtp.EmailBackend.send_messages = print
            """,
            "replaces smtp.EmailBackend.send_messages of a dependency",
            id="assignment-to-a-class-attribute",
        ),
        pytest.param(
            """
            from django.middleware import csrf as django_csrf

            django_csrf.get_token = print
            """,
            "replaces django_csrf.get_token of a dependency",
            id="assignment-to-a-module-attribute",
        ),
        pytest.param(
            """
            from django.core.mail.backends import smtp

            def install(name, function):
                setattr(smtp.EmailBackend, name, function)
            """,
            "setattr on smtp.EmailBackend of a dependency",
            id="setattr-with-a-computed-name",
        ),
        pytest.param(
            """
            from django.db import connection

            _c = connection
            _c._x
            """,
            "uses private attribute _x of _c",
            id="underscore-alias",
        ),
        pytest.param(
            """
            _errors = []

            def _state():
                pass

            def view(form):
                return form._errors
            """,
            "uses private attribute _errors of form",
            id="module-name-is-no-licence-for-attributes",
        ),
        pytest.param(
            """
            def view(form):
                form.__dict__["_errors"] = None
            """,
            "uses _errors through form.__dict__",
            id="dict-with-a-private-key",
        ),
        pytest.param(
            """
            def swap(form, other):
                object.__dict__["__class__"].__set__(form, other)
            """,
            "uses __class__ through object.__dict__",
            id="descriptor-taken-from-a-dict",
        ),
        pytest.param(
            """
            def view(form):
                return vars(form).get("_x")
            """,
            "uses _x through vars(form)",
            id="vars-with-a-private-key",
        ),
        pytest.param(
            """
            def view(request):
                request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            """,
            "uses 'CSRF_COOKIE_NEEDS_UPDATE', a key Django does not document",
            id="undocumented-django-key",
        ),
        pytest.param(
            """
            from unittest import mock

            with mock.patch("django.core.mail.send_mail"):
                pass
            """,
            "patches django.core.mail.send_mail",
            id="mock-patch-of-a-dependency",
        ),
    ],
)
def test_it_flags_each_way_around_the_rule(checker, tmp_path, source, expected):
    assert expected in findings(checker, tmp_path, source)


def test_it_passes_our_subclasses_of_dependencies(checker, tmp_path):
    found = findings(
        checker,
        tmp_path,
        """
        \"\"\"The docstring may name CSRF_COOKIE.\"\"\"
        from django import forms
        from django.core.mail.backends import smtp

        class ResizeMixin:
            def _resize(self, upload):
                return upload

        class UploadForm(ResizeMixin, forms.Form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._seen = set()

            def clean_image(self):
                self._seen.add(1)
                return self._resize(self.cleaned_data["image"])

            def _checked(self, value):
                return value

        class Backend(smtp.EmailBackend):
            def send_messages(self, messages):
                return super().send_messages(messages)

        from .models import Letter

        Letter.cached = None

        def view(request, obj):
            obj.status = "sent"
            setattr(obj, "status", "sent")
            request.session["cart"] = obj.__dict__.get("status")
            return request.META["HTTP_HOST"]
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
