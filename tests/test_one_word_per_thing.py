"""One thing, one word: the product's recurring terms read the same on every page.

A supporter who opens "the privacy page" from an e-mail and then reads of "the page of your
data" on a form cannot tell that the two are one page. So for each term below, every source
that names it must be translated with the chosen word (any inflection of it) and never with
a synonym we have dropped.

A stem is matched case-insensitively anywhere in the translation, so "страниц" covers
"страница", "странице" and "страницу". Only terms whose every translation was read are listed;
"action" is not, because it names two things here (anything a supporter did on the site,
Russian "действие", and an action held in the street, "акция"). Where a word has a second
sense in some sources (a social-network account, a business partner, a mail's recipient),
the term says which sources it leaves out and why.

German writes its gender-inclusive words with one mark, the middle dot ("Unterstützer·innen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests.test_translation_catalogues import CATALOGUES, ROOT, read_catalogue


@dataclass(frozen=True)
class Words:
    accepted: tuple[str, ...]
    rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    name: str
    english: str  # a regular expression, matched case-insensitively against msgid and plural
    words: dict[str, Words] = field(default_factory=dict)
    # Sources where the English word names something else, each with the reason in the glossary.
    other_sense: tuple[str, ...] = ()
    # Only the catalogues of these apps, where the word has one sense; empty for all apps.
    apps: tuple[str, ...] = ()


GLOSSARY = [
    Term(
        "privacy page",
        r"\bprivacy page\b",
        {
            "ru": Words(("страниц", "конфиденциальности"), ("ваших данных",)),
            "be": Words(("старонк", "прыватнасці"), ("вашых даных",)),
            "de": Words(("Datenschutzseite",)),
        },
    ),
    Term(
        "plain text",
        r"\bplain text\b",
        {
            "ru": Words(("Прост",), ("Обычн",)),
            "be": Words(("Прост",), ("Звычайн",)),
            "de": Words(("Reiner Text",), ("Einfacher Text",)),
        },
    ),
    Term(
        "outbox",
        r"\boutbox\b",
        {
            "ru": Words(("исходящ",), ("очеред",)),
            "be": Words(("выходн",), ("чарз", "чарг")),
            "de": Words(("Postausgang",)),
        },
    ),
    Term(
        "keep me informed",
        r"\b(?:keep|kept)\b(?: \w+)? informed\b",
        {
            "ru": Words(("новост",), ("в курсе",)),
            "be": Words(("навін", "навіны"), ("у курсе",)),
            "de": Words(("auf dem Laufenden",), ("informier",)),
        },
    ),
    Term(
        "confirmation",
        r"\bconfirmation\b",
        {
            "ru": Words(("подтвержд",)),
            "be": Words(("пацвярджэн",), ("пацверджанн",)),
            "de": Words(("Bestätigung",)),
        },
    ),
    Term(
        "consent",
        r"\bconsents?\b",
        {
            "ru": Words(("согласи",)),
            "be": Words(("згод",)),
            "de": Words(("Einwilligung",), ("Zustimmung",)),
        },
    ),
    Term(
        "endorsement",
        r"\bendorsements?\b",
        {
            "ru": Words(("поддерж",), ("присоедин",)),
            "be": Words(("падтрым",), ("далучы",)),
            "de": Words(("Unterstützungserklärung",)),
        },
    ),
    Term(
        "video message",
        r"\bvideo messages?\b",
        {
            "ru": Words(("видеообращени",)),
            "be": Words(("відэазварот",)),
            "de": Words(("Videobotschaft",), ("Solidaritätsbotschaft",)),
        },
    ),
    Term(
        "supporter",
        r"\bsupporters?\b",
        {
            "ru": Words(("сторонник",)),
            "be": Words(("прыхільнік",)),
            "de": Words(("Unterstütz", "Person")),
        },
        # The kind of record (a signature, a sign-up...), in German a "Mitmach-Aktion".
        other_sense=("supporter action", "supporter actions"),
    ),
    Term(
        "organiser",
        r"\borganisers?\b",
        {
            "ru": Words(("организатор",)),
            "be": Words(("арганізатар",)),
            "de": Words(
                ("Organisationsteam",),
                ("Veranstalter", "Organisator", "Organisierend", "Organisationskonto"),
            ),
        },
        # The role of an organisation named under "Who is behind the campaign", in German a
        # "Veranstalter"; everywhere else "the organisers" are the team that runs the site.
        other_sense=("organiser", "Organisers", "organisers and partners"),
    ),
    Term(
        "partner",
        r"(?<!business )\bpartners?\b",
        {
            "ru": Words(("партнёр",)),
            "be": Words(("партнёр",)),
            "de": Words(("Partner",)),
        },
    ),
    Term(
        "embed",
        r"\bembed(?:s|dable)?\b",
        {
            "ru": Words(("встраива",)),
            "be": Words(("убудав", "ўбудав")),
            "de": Words(("einbett", "Einbettung")),
        },
    ),
    Term(
        "waitlist",
        r"\bwaitlist\b",
        {
            "ru": Words(("лист",)),
            "be": Words(("спіс",)),
            "de": Words(("Warteliste",)),
        },
    ),
    Term(
        "registration",
        r"\bregistrations?\b",
        {
            "ru": Words(("регистрац",), ("запис",)),
            "be": Words(("рэгістрац",), ("запіс",)),
            "de": Words(("Anmeldung",), ("Registrierung",)),
        },
    ),
    Term(
        "e-mail, the way we write",
        r"\bby e-mail\b|\be-mail address",
        {
            "ru": Words(("электронн",), ("e-mail", "подтвердить по почте")),
            "be": Words(("электронн",), ("e-mail", "пацвердзіць па пошце")),
            "de": Words(("E-Mail",)),
        },
    ),
    Term(
        "a letter's recipient",
        r"\brecipients?\b|\btargets?\b",
        {
            "ru": Words(("адресат",), ("получател",)),
            "be": Words(("адрасат",), ("атрымальнік",)),
            "de": Words(("Empfänger",)),
        },
        # Elsewhere a recipient is whoever a mail or a mailing goes to, Russian "получатель".
        apps=("letters", "dashboard", "supporters"),
    ),
    Term(
        "an account on this site",
        r"\baccounts?\b",
        {
            "ru": Words(("учётн",), ("аккаунт",)),
            "be": Words(("уліков", "ўліков"), ("акаўнт",)),
            "de": Words(("Konto", "Konten")),
        },
        # Elsewhere an account is one on a social network, Russian "аккаунт".
        apps=("accounts", "partners"),
    ),
    Term(
        "moderation",
        r"\bmoderat",
        {
            "ru": Words(("модер",)),
            "be": Words(("мадэр",)),
            "de": Words(("Moderat", "moderier")),
        },
    ),
]


Translated = tuple[str, str, str, list[str]]  # where, app, English source, translated forms


def translations_by_language() -> dict[str, list[Translated]]:
    """Per language, every translated entry of every catalogue."""
    found: dict[str, list[Translated]] = {}
    for path in CATALOGUES:
        entries, _formula = read_catalogue(path)
        language = path.parent.parent.name
        app = path.relative_to(ROOT / "picketline").parts[0]
        for entry in entries:
            forms = [form for form in entry.msgstrs if form]
            if forms and "fuzzy" not in entry.flags:
                english = entry.msgid + "\n" + (entry.msgid_plural or "")
                where = f"{path.relative_to(ROOT)}:{entry.line}"
                found.setdefault(language, []).append((where, app, english, forms))
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)\w|\{\w+\}")


def names_the_term(term: Term, english: str, app: str) -> bool:
    """Whether a source names the term in its own words (``%(partner)s`` is a name, not the
    word "partner")."""
    if english.strip() in term.other_sense:
        return False
    if term.apps and app not in term.apps:
        return False
    return bool(re.search(term.english, PLACEHOLDER.sub("", english), re.IGNORECASE))


def wrong_words(term: Term, language: str, entries: list[Translated]) -> list[str]:
    words = term.words[language]
    problems = []
    for where, app, english, forms in entries:
        if not names_the_term(term, english, app):
            continue
        for form in forms:
            lowered = form.lower()
            if not any(stem.lower() in lowered for stem in words.accepted):
                problems.append(f"{where} {english[:50]!r}: none of {words.accepted} in {form!r}")
            rejected = [stem for stem in words.rejected if stem.lower() in lowered]
            if rejected:
                problems.append(f"{where} {english[:50]!r}: {rejected} in {form!r}")
    return problems


TRANSLATIONS = translations_by_language()


@pytest.mark.parametrize("language", ["ru", "be", "de"])
@pytest.mark.parametrize("term", GLOSSARY, ids=lambda term: term.name)
def test_a_term_has_one_word_in_every_catalogue(term, language):
    assert wrong_words(term, language, TRANSLATIONS[language]) == []


@pytest.mark.parametrize("term", GLOSSARY, ids=lambda term: term.name)
def test_every_term_is_used_and_translated(term):
    """A pattern that matches no source checks nothing: a renamed term must be renamed here."""
    assert set(term.words) == {"ru", "be", "de"}
    for language, entries in TRANSLATIONS.items():
        assert any(names_the_term(term, english, app) for _, app, english, _ in entries), language


def test_the_check_finds_a_dropped_synonym_and_a_missing_word():
    term = Term("plain text", r"\bplain text\b", {"ru": Words(("Прост",), ("Обычн",))})
    entries = [
        ("a.po:1", "web", "Plain text only.", ["Только простой текст."]),
        ("a.po:2", "web", "Plain text, please.", ["Обычный текст, пожалуйста."]),
        ("a.po:3", "web", "Plain text here.", ["Здесь текст."]),
        ("a.po:4", "web", "Rich text.", ["Обычный текст."]),
    ]
    problems = wrong_words(term, "ru", entries)
    assert [problem.split(" ")[0] for problem in problems] == ["a.po:2", "a.po:2", "a.po:3"]
    assert "['Обычн'] in" in problems[1]


def test_a_placeholder_or_another_sense_is_not_the_term():
    term = Term(
        "partner",
        r"\bpartners?\b",
        {"ru": Words(("партнёр",))},
        other_sense=("partner staff",),
        apps=("partners", "web"),
    )
    entries = [
        ("a.po:1", "web", "%(partner)s supports us", ["%(partner)s поддерживает нас"]),
        ("a.po:2", "web", "partner staff\n", ["сотрудники"]),
        ("a.po:3", "letters", "a partner", ["организация"]),
        ("a.po:4", "web", "a partner", ["организация"]),
    ]
    assert [problem.split(" ")[0] for problem in wrong_words(term, "ru", entries)] == ["a.po:4"]


GENDER_MARK = re.compile(r"\w[*:_](?:in|innen)\b")


def test_german_writes_a_gender_inclusive_word_one_way():
    """ "Unterstützer·innen" on one page, "Unterstützer*innen" on a second and
    "Unterstützer:innen" on a third look like three words: the middle dot is ours."""
    found = [
        f"{where}: {form!r}"
        for where, _app, _english, forms in TRANSLATIONS["de"]
        for form in forms
        if GENDER_MARK.search(PLACEHOLDER.sub("", form))
    ]
    assert found == []
