"""Every .po file of the project compiles cleanly, every translation keeps the placeholders
of its English source, and a source has one translation per language.

A catalogue that ``msgfmt --check`` refuses (a plural entry with fewer forms than its header's
``nplurals``, a broken header) is one that ``compilemessages`` refuses too. A translation that
drops or renames ``%(name)s`` or ``{name}`` raises at run time or says something else: a Russian
"%(n)s people" form that leaves out the number reads as a lie to the 21 people it counts.

Django merges the catalogues of all apps (and ``LOCALE_PATHS``) into one per language, and the
first that has a source wins: a second wording of the same source in another app is never shown.
Where a word means different things in different places ("title" of a letter and of an event),
the code gives it a context (``pgettext``), and each context has its own translation.

msgfmt (GNU gettext) is a required tool here, as it is for ``compilemessages``: without it this
test fails, it never skips.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import picketline

ROOT = Path(picketline.__file__).parent.parent
CATALOGUES = sorted((ROOT / "picketline").glob("**/locale/*/LC_MESSAGES/django.po"))
NAMED = re.compile(r"%\((\w+)\)")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACED = re.compile(r"\{(\w+)(?:[!:][^{}]*)?\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)


def read_catalogue(path: Path) -> tuple[list[Entry], str]:
    """The entries of a .po file (obsolete ``#~`` ones left out) and its plural formula."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: str | None = None  # "msgid", "msgid_plural", "msgstr" or "msgctxt"

    def append(text: str) -> None:
        assert entry is not None
        if target == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        elif target == "msgid":
            entry.msgid += text
        elif target == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        elif target == "msgstr":
            entry.msgstrs[-1] += text

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if entry is None or (target == "msgstr" and not line.startswith(('"', "msgstr["))):
            if entry is not None:
                entries.append(entry)
            entry, target = Entry(line=number), None
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(ast.literal_eval(line))
        else:
            keyword, _space, quoted = line.partition(" ")
            target = "msgstr" if keyword.startswith("msgstr") else keyword
            if target == "msgstr":
                entry.msgstrs.append("")
            elif target == "msgid_plural":
                entry.msgid_plural = ""
            append(ast.literal_eval(quoted))
    if entry is not None:
        entries.append(entry)
    header = next(e for e in entries if e.msgid == "")
    forms = re.search(r"^Plural-Forms:.*\bplural=([^;]+);", header.msgstrs[0], re.MULTILINE)
    assert forms, f"{path}: the header has no Plural-Forms"
    return [e for e in entries if e.msgid], forms.group(1)


def placeholders(text: str, *, positional: bool) -> tuple[set[str], list[str]]:
    """Named placeholders (``%(name)s`` and ``{name}``) and, for python-format texts, the
    positional ones (``%s``) in their order."""
    text = text.replace("%%", "")
    names = {f"%({name})" for name in NAMED.findall(text)}
    names |= {f"{{{name}}}" for name in BRACED.findall(text)}
    return names, (POSITIONAL.findall(NAMED.sub("", text)) if positional else [])


def forms_only_for_one(formula: str, count: int) -> set[int]:
    """Plural forms that the language uses for n = 1 only (German's first): they may leave
    out a number the English singular leaves out too ("this message")."""
    plural = gettext.c2py(formula)
    used_for = {form: {n for n in range(1000) if plural(n) == form} for form in range(count)}
    return {form for form, numbers in used_for.items() if numbers == {1}}


def placeholder_problems(path: Path) -> list[str]:
    entries, formula = read_catalogue(path)
    problems = []
    for entry in entries:
        positional = "python-format" in entry.flags
        singular, singular_order = placeholders(entry.msgid, positional=positional)
        expected, order = set(singular), singular_order
        if entry.msgid_plural is not None:
            plural, order = placeholders(entry.msgid_plural, positional=positional)
            expected |= plural
        only_one = forms_only_for_one(formula, len(entry.msgstrs))
        for form, msgstr in enumerate(entry.msgstrs):
            if not msgstr:
                continue  # untranslated: the English shows, placeholders intact
            found, found_order = placeholders(msgstr, positional=positional)
            may_drop = expected - singular if form in only_one else set()
            where = f"{path}:{entry.line} {entry.msgid[:60]!r} form {form}"
            if found - expected:
                problems.append(f"{where}: unknown {sorted(found - expected)}")
            if expected - found - may_drop:
                problems.append(f"{where}: leaves out {sorted(expected - found - may_drop)}")
            allowed = [order, singular_order] if form in only_one else [order]
            if positional and found_order not in allowed:
                problems.append(f"{where}: positional {found_order} for {order}")
    return problems


def differing_translations(paths: list[Path]) -> list[str]:
    """Each (msgctxt, msgid, msgid_plural) that two catalogues of one language translate
    differently, with the catalogues and their wordings; untranslated entries don't count
    (the English shows)."""
    wordings: dict[tuple[str, tuple[str | None, str, str | None]], dict[tuple[str, ...], list[str]]]
    wordings = defaultdict(lambda: defaultdict(list))
    for path in paths:
        language = path.parent.parent.name
        entries, _formula = read_catalogue(path)
        for entry in entries:
            if any(entry.msgstrs) and "fuzzy" not in entry.flags:
                key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
                wordings[language, key][tuple(entry.msgstrs)].append(f"{path}:{entry.line}")
    return [
        f"{language} {key!r}: {dict(found)}"
        for (language, key), found in sorted(wordings.items(), key=lambda item: str(item[0]))
        if len(found) > 1
    ]


def test_msgfmt_is_installed():
    assert shutil.which("msgfmt"), "msgfmt (GNU gettext) is missing: install gettext"


def test_the_project_has_catalogues_in_each_language():
    languages = {path.parent.parent.name for path in CATALOGUES}
    assert languages == {"ru", "be", "de"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_msgfmt_checks_pass_without_a_warning(path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is missing: install gettext"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translation_keeps_the_placeholders_of_its_source(path):
    assert placeholder_problems(path) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_source_with_a_named_placeholder_is_flagged_python_format(path):
    """msgfmt checks the format of flagged entries only."""
    entries, _formula = read_catalogue(path)
    unflagged = [
        f"{path}:{entry.line} {entry.msgid[:60]!r}"
        for entry in entries
        if NAMED.search(entry.msgid + (entry.msgid_plural or ""))
        and "python-format" not in entry.flags
    ]
    assert unflagged == []


def test_a_source_has_one_translation_per_language_across_the_catalogues():
    assert differing_translations(CATALOGUES) == []


def test_the_check_tells_a_second_wording_from_a_context(tmp_path):
    def catalogue(app: str, entries: str) -> Path:
        path = tmp_path / app / "locale" / "ru" / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        path.write_text(RUSSIAN_HEADER + entries, encoding="utf-8")
        return path

    letters = catalogue("letters", 'msgid "title"\nmsgstr "заголовок"\n')
    events = catalogue(
        "events",
        'msgctxt "the name of a thing"\nmsgid "title"\nmsgstr "название"\n\n'
        'msgid "status"\nmsgstr "статус"\n',
    )
    mail = catalogue("mail", 'msgid "status"\nmsgstr "состояние"\n\nmsgid "title"\nmsgstr ""\n')
    assert differing_translations([letters, events, mail]) == [
        f"ru (None, 'status', None): {{('статус',): ['{events}:13'], ('состояние',): ['{mail}:9']}}"
    ]


RUSSIAN_HEADER = r"""msgid ""
msgstr ""
"Language: ru\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "
"(n%100>=11 && n%100<=14)? 2 : 3);\n"

"""
GERMAN_HEADER = r"""msgid ""
msgstr ""
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

"""


@pytest.mark.parametrize(
    ("header", "entry", "problem"),
    [
        (GERMAN_HEADER, 'msgid "Hello %(name)s"\nmsgstr "Hallo"\n', "leaves out ['%(name)']"),
        (
            GERMAN_HEADER,
            'msgid "Hello %(name)s"\nmsgstr "Hallo %(Name)s"\n',
            "unknown ['%(Name)']",
        ),
        (GERMAN_HEADER, 'msgid "Dear {name},"\nmsgstr "Liebe {Name},"\n', "unknown ['{Name}']"),
        (
            GERMAN_HEADER,
            '#, python-format\nmsgid "Unknown: %s"\nmsgstr "Unbekannt: %d %s"\n',
            "positional ['%d', '%s'] for ['%s']",
        ),
        (
            RUSSIAN_HEADER,
            'msgid "one message"\nmsgid_plural "%(n)s messages"\nmsgstr[0] "одно сообщение"\n'
            'msgstr[1] "%(n)s сообщения"\nmsgstr[2] "%(n)s сообщений"\n'
            'msgstr[3] "%(n)s сообщения"\n',
            "form 0: leaves out ['%(n)']",
        ),
    ],
    ids=["dropped", "renamed", "renamed-brace", "positional", "russian-21"],
)
def test_the_placeholder_check_finds_a_dropped_or_renamed_placeholder(
    tmp_path, header, entry, problem
):
    path = tmp_path / "django.po"
    path.write_text(header + entry, encoding="utf-8")
    assert any(found.endswith(problem) for found in placeholder_problems(path))


def test_german_may_leave_out_the_number_where_english_does_in_the_singular(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        GERMAN_HEADER + 'msgid "this message"\nmsgid_plural "these %(n)s messages"\n'
        'msgstr[0] "diese Nachricht"\nmsgstr[1] "diese %(n)s Nachrichten"\n',
        encoding="utf-8",
    )
    assert placeholder_problems(path) == []


def test_a_plural_entry_is_read_with_all_its_forms(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        RUSSIAN_HEADER + 'msgid "%(n)s person"\nmsgid_plural "%(n)s people"\n'
        'msgstr[0] "%(n)s человек"\nmsgstr[1] "%(n)s человека"\n'
        'msgstr[2] "%(n)s человек"\nmsgstr[3] "%(n)s человека"\n\n'
        'msgid "next"\nmsgstr "дальше"\n',
        encoding="utf-8",
    )
    entries, _formula = read_catalogue(path)
    assert [(entry.msgid, len(entry.msgstrs)) for entry in entries] == [
        ("%(n)s person", 4),
        ("next", 1),
    ]
