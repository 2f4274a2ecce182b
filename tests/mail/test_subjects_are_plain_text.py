"""Mail subjects are plain text: an apostrophe, an ampersand or a bracket in what a subject
quotes (an ILO employers' delegate, "Smith & Sons") reads as typed, never as an HTML entity."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

import picketline

TRICKY = "employers' & <delegates>"
SUBJECTS = sorted(Path(picketline.__file__).parent.glob("*/templates/**/*_subject.txt"))


class Tricky(str):
    """Whatever a template asks of it (an attribute, a method) is the same tricky text."""

    def __getattr__(self, name: str) -> "Tricky":
        if name.startswith("__"):
            raise AttributeError(name)
        return Tricky(TRICKY)


def context_for(source: str) -> dict:
    names = set(re.findall(r"\{\{\s*(\w+)", source)) | set(re.findall(r"=(\w+)", source))
    numbers = set(re.findall(r"count (\w+)=(\w+)", source))
    context = {name: Tricky(TRICKY) for name in names}
    for _name, value in numbers:
        context[value] = 2
    return context


def test_there_are_subject_templates_to_check():
    assert len(SUBJECTS) >= 15


@pytest.mark.parametrize("path", SUBJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_subject_quotes_text_as_typed(path, language):
    name = "/".join(path.parts[path.parts.index("templates") + 1 :])
    source = path.read_text()
    with translation.override(language):
        subject = render_to_string(name, context_for(source))
    assert "&#x27;" not in subject and "&amp;" not in subject and "&lt;" not in subject
    quoted = set(re.findall(r"\{\{\s*(\w+)", source)) - {"count", "n", "total"}
    if quoted:  # (a ``title`` may come out title-cased: the entities are what matters)
        assert TRICKY.lower() in subject.lower()
