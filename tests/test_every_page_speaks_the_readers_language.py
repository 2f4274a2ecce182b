"""Walked through in Russian, Belarusian and German, the demo shows no English: no sentence of
our own code, of Django's or of the demo content, on any public page, in any form error, any
e-mail or the letter on paper. Allowed: proper names, hashtags, addresses (URLs, e-mail).

English is found by the phrases that could leak: every message of our catalogues and of
Django's, and every organiser text written in English, cut into pieces of two words or more
(single words are proper names more often than not); a piece that the translation holds too
(a name, an acronym) is no leak. The pages are found by following links from the home page.
"""

from __future__ import annotations

import io
import re
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from modeltranslation.translator import translator
from pypdf import PdfReader

import picketline
from picketline.events.models import Event
from picketline.letters import pdf, sending
from picketline.letters.models import Letter
from picketline.mail import outbox
from tests.letters.helpers import confirm_url

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "be", "de"]
MAX_PAGES = 400
SKIPPED_PATHS = re.compile(r"/(admin|organise|media|static)/|\.(csv|json|ics|pdf|xml|vtt)$")
# Pages that only a form's GET reaches (links are followed without their query).
FILTERED = [
    "register/?status=in_custody&union=rabochy-rukh&city=Hrodna",
    "register/?q=Ярошук",
    "register/?status=unknown",
    "register/companies/?sanctions=sanctioned&q=azot",
    "register/companies/?q=nothing-matches",
]
# Pieces: the text between placeholders, markup and sentence ends.
CUT = re.compile(
    r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{%[^%]*%\}|\{\w*\}|<[^>]+>|[.!?:;()\[\]«»“”„\"—–]\s*|\n"
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
URLS = re.compile(r"(https?://|www\.)\S+|\S+@\S+\.\w+|#\w+")
# Django's day and month names: single words, but the first thing a reader sees of a date.
DATE_WORDS = (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December"
).split()


def po_entries(path: Path) -> list[tuple[list[str], list[str]]]:
    """(English sources, translations) of each entry of a .po file."""
    entries: list[tuple[list[str], list[str]]] = []
    sources: list[str] = []
    targets: list[str] = []
    current: list[str] | None = None

    def close() -> None:
        if sources and sources[0]:
            entries.append((list(sources), list(targets)))
        sources.clear()
        targets.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or not line:
            continue
        if line.startswith("msgctxt"):
            close()
            current = None
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword == "msgid":
            if targets:
                close()
            sources.append(_unquote(rest))
            current = sources
        elif keyword == "msgid_plural":
            sources.append(_unquote(rest))
            current = sources
        elif keyword.startswith("msgstr"):
            targets.append(_unquote(rest))
            current = targets
        elif line.startswith('"') and current is not None:
            current[-1] += _unquote(line)
    close()
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def pieces(english: str, *, single_words: bool = False) -> set[str]:
    found = set()
    for piece in CUT.split(english):
        piece = " ".join(piece.split()).strip(" ,-'’")
        words = WORD.findall(piece)
        if len(words) >= 2 and len(piece) >= 10 and " ".join(words) == piece.replace(",", ""):
            found.add(piece)
        elif len(words) >= 3 and len(piece) >= 12:
            found.add(piece)
        elif single_words and piece in DATE_WORDS:
            found.add(piece)
    return found


def leaks_from(entries) -> set[str]:
    phrases = set()
    for sources, targets in entries:
        translation_text = " ".join(targets)
        if not translation_text.strip():
            continue  # a gap in the catalogue: the completeness test below finds it
        single = sources[0] in DATE_WORDS
        for source in sources:
            phrases |= {p for p in pieces(source, single_words=single) if p not in translation_text}
    return phrases


def code_phrases(language: str) -> set[str]:
    ours = Path(picketline.__file__).parent
    django_locale = Path(django.__file__).parent / "conf" / "locale"
    entries = []
    for po in [
        *ours.glob(f"**/locale/{language}/LC_MESSAGES/django.po"),
        django_locale / language / "LC_MESSAGES" / "django.po",
    ]:
        entries += po_entries(po)
    return leaks_from(entries)


def as_text(value: object) -> str:
    """A translated field's value as text: a list (facts, disputed points) one item a line."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value or "")


def content_phrases(language: str) -> set[str]:
    """Organisers' English texts whose translation differs (or is missing: then the English
    fallback shows, which is the leak)."""
    phrases = set()
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for item in model.objects.all():
            for field in fields:
                english = as_text(getattr(item, f"{field}_en", ""))
                translated = as_text(getattr(item, f"{field}_{language}", ""))
                if english and english != translated:
                    phrases |= {p for p in pieces(english) if p not in translated}
    return phrases


class VisibleText(HTMLParser):
    """What a reader sees or hears: text, and the alt, title, label and placeholder texts.
    Text marked as written in another language (``lang``: a supporter's own words, a letter
    in the language its writer chose) is theirs, not a leak."""

    HIDDEN = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.links: list[str] = []
        self.forms: list[str] = []
        self.hidden = 0
        self.open: list[tuple[str, bool]] = []  # (tag, in another language)
        self.fallbacks = 0  # organiser texts shown in English for want of a translation

    def foreign(self) -> bool:
        return any(other for _tag, other in self.open)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag not in self.VOID:
            lang = (values.get("lang") or "").split("-")[0]
            self.open.append((tag, bool(self.language and lang and lang != self.language)))
        if tag in self.HIDDEN:
            self.hidden += 1
        if "untranslated" in (values.get("class") or "").split():
            self.fallbacks += 1
        for name in ("alt", "title", "aria-label", "placeholder"):
            if values.get(name) and not self.foreign():
                self.parts.append(values[name])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.append(values.get("action") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.hidden and not self.foreign():
            self.parts.append(data)

    def text(self) -> str:
        return URLS.sub(" ", " ".join(" ".join(self.parts).split()))


def english_in(text: str, phrases: set[str]) -> list[str]:
    text = URLS.sub(" ", " ".join(text.split()))
    found = []
    for phrase in phrases:
        pattern = rf"\b{re.escape(phrase)}\b" if phrase in DATE_WORDS else re.escape(phrase)
        match = re.search(pattern, text)
        if match:  # the phrase, and where it stands, to find its source
            found.append(f"{phrase} «{text[max(0, match.start() - 50) : match.end() + 30]}»")
    return sorted(found)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", verbosity=0)


def crawl(client: Client, language: str):
    """Every page reached by links from the home page in ``language``: (path, parsed page)."""
    start = f"/{language}/"
    queue = deque([start, *(start + query for query in FILTERED)])
    seen = set(queue)
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in (200, 301, 302), (path, response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = VisibleText(language)
        page.feed(response.content.decode())
        yield path, page
        for href in page.links:
            link = href.split("#")[0].split("?")[0]
            if link.startswith(start) and link not in seen and not SKIPPED_PATHS.search(link):
                seen.add(link)
                queue.append(link)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_and_no_form_error_shows_english(demo, language):
    with translation.override(language):
        phrases = code_phrases(language) | content_phrases(language)
    client = Client()
    found: dict[str, list[str]] = {}
    pages = 0
    for path, page in crawl(client, language):
        pages += 1
        leaks = english_in(page.text(), phrases)
        if page.fallbacks:  # marked as English, so not in the text above, but still English
            leaks.append(f"{page.fallbacks} text(s) shown in English, not yet translated")
        if leaks:
            found[path] = leaks
        for action in page.forms:
            target = action or path
            if not target.startswith(f"/{language}/") or "/setlang" in target:
                continue
            answer = client.post(target, {})
            if answer.status_code in (200, 400) and "html" in answer.get("Content-Type", ""):
                errors = VisibleText(language)
                errors.feed(answer.content.decode())
                if leaks := english_in(errors.text(), phrases):
                    found[f"POST {target}"] = leaks
    assert pages > 30
    assert found == {}, "\n".join(f"{where}: {leaks}" for where, leaks in sorted(found.items()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_mail_and_no_letter_on_paper_shows_english(demo, language):
    with translation.override(language):
        phrases = code_phrases(language) | content_phrases(language)
    client = Client()
    letter_form = f"/{language}/letters/release-the-unionists/"
    with translation.override(language):
        event = Event.objects.filter(published=True, registration_required=True).first()
        event_path = event.get_absolute_url()
    sent = {
        letter_form: {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "country": "DE",
            "language": language,
            "organisation": "ver.di",
            "role": "Vertrauensfrau",
            "consent_send_in_my_name": "on",
            "send_copy": "on",
            "step": "send",
        },
        f"/{language}/submit/endorse/": {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "language": language,
            "organisation": "IG Beispiel",
            "org_country": "DE",
            "kind": "union",
        },
        f"/{language}/submit/report/": {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "language": language,
            "kind": "picket",
            "report_country": "LT",
            "happened_on": "2024-04-18",
            "title": "Mahnwache",
            "text": "Wir standen eine Stunde vor der Botschaft.",
        },
        f"/{language}/submit/video/": {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "country": "DE",
            "language": language,
            "link": "https://video.example/watch/1",
            "display_name": "first_country",
            "face_voice": "on",
        },
        f"/{language}/events/hosted/propose/": {
            "title": "Mahnwache",
            "city": "Warsaw",
            "place": "ul. Wiertnicza 58",
            "starts_at": "2030-04-19T12:00",
            "ends_at": "2030-04-19T13:00",
            "expected_size": "25",
            "contact": "Signal",
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "language": language,
        },
        event_path: {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "language": language,
        },
        f"/{language}/me/keep-me-informed/": {
            "name": "Greta Beispiel",
            "email": "greta@example.net",
            "language": language,
            "consent_organiser_updates": "on",
        },
    }
    for path, data in sent.items():
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content.decode()[:3000])
    while outbox.send_due():
        pass
    # Confirm the letter: it goes to its recipients, with a copy to the writer.
    letter = Letter.objects.latest("pk")
    with translation.override(language):
        client.post(confirm_url(letter))
    letter.refresh_from_db()
    assert letter.confirmed_at is not None
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        sending.queue_due()
        while outbox.send_due():
            pass
    found: dict[str, list[str]] = {}
    assert len(mail.outbox) >= 8
    for message in mail.outbox:
        texts = [message.subject, message.body]
        for alternative, _kind in getattr(message, "alternatives", []):
            html = VisibleText(language)
            html.feed(alternative)
            texts.append(html.text())
        if leaks := english_in(" ".join(texts), phrases):
            found[f"mail: {message.subject}"] = leaks
    paper = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.letter_pdf(letter))).pages
    )
    if leaks := english_in(paper, phrases):
        found["letter on paper"] = leaks
    assert found == {}, "\n".join(f"{where}: {leaks}" for where, leaks in sorted(found.items()))


def test_the_search_finds_english_from_code_django_and_content(demo):
    with translation.override("de"):
        phrases = code_phrases("de") | content_phrases("de")
    assert english_in("Fehler: Enter a valid email address.", phrases)
    assert english_in("Friday, 11. Dezember", phrases)
    assert english_in("Fotos (Photos (optional, up to 4))", phrases)
    assert english_in("Write to the Government of Belarus and its embassy", phrases)
    assert not english_in("Freitag, 11. Dezember · #FreeThem · https://example.org/a b", phrases)
    page = VisibleText("de")
    page.feed('<p>Hallo <span lang="en">Write to the Government of Belarus</span></p>')
    assert page.text() == "Hallo"


# Strings marked for translation in our code: ``_("…")``, ``gettext("…")`` and the like in
# Python, ``{% translate "…" %}`` in templates (a missing one is invisible to the phrase search).
MARKED_IN_PYTHON = re.compile(
    r"""(?<![\w.])(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy)\(\s*"""
    r"""(?:"[^"]*",\s*)?("(?:[^"\\]|\\.)+"(?:\s*"(?:[^"\\]|\\.)*")*|'[^'"]+')\s*[,)]""",
    re.S,
)
MARKED_IN_TEMPLATES = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"[^%]*%\}""")


def marked_strings() -> dict[str, Path]:
    root = Path(picketline.__file__).parent
    found: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for match in MARKED_IN_PYTHON.finditer(path.read_text(encoding="utf-8")):
            literal = match.group(1)
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', literal) or [literal.strip("'")]
            text = "".join(parts).replace('\\"', '"').replace("\\n", "\n")
            found.setdefault(text, path)
    for pattern in ("*.html", "*.txt"):
        for path in root.rglob(pattern):
            for match in MARKED_IN_TEMPLATES.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(match.group(1), path)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_our_code_marks_for_translation_is_translated(language):
    ours = Path(picketline.__file__).parent
    django_locale = Path(django.__file__).parent
    known = set()
    for po in [
        *ours.glob(f"**/locale/{language}/LC_MESSAGES/django.po"),
        *django_locale.glob(f"**/locale/{language}/LC_MESSAGES/django.po"),
    ]:
        for sources, targets in po_entries(po):
            if any(target.strip() for target in targets):
                known.update(sources)
    missing = {text: str(path) for text, path in marked_strings().items() if text not in known}
    assert len(marked_strings()) > 800
    assert missing == {}
