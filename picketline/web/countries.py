"""Countries as two-letter ISO codes, named in the reader's language from CLDR (Babel).

Every place where a supporter gives a country stores its code; names are made when shown, in
the language of whoever reads (a page, a letter, a mail). So "Germany", "Deutschland" and
"Германия" are one country in every count.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from babel import Locale
from django import forms
from django.conf import settings
from django.utils.translation import get_language

from picketline.lib.collation import sort_key

# CLDR lists regions that are no country a person lives in, and codes kept for other uses.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
ISO_CODE = re.compile(r"^[A-Z]{2}$")


def _language(language: str | None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    return {
        code: name
        for code, name in territories.items()
        if ISO_CODE.match(code) and code not in NOT_COUNTRIES
    }


def country_codes() -> frozenset[str]:
    """Every country code a supporter may choose."""
    return frozenset(_names("en"))


def is_country(code: str) -> bool:
    return code in _names("en")


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active language when None); a code CLDR does
    not know is shown as written."""
    written = (code or "").strip()
    return _names(_language(language)).get(written.upper(), written)


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    return tuple(sorted(names.items(), key=lambda item: sort_key(item[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, sorted by name in ``language``."""
    return list(_choices(_language(language)))


@cache
def _codes_by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for language, _label in settings.LANGUAGES:
        for code, name in _names(language).items():
            found.setdefault(name.casefold(), code)
    for code in _names("en"):
        found.setdefault(code.casefold(), code)
    return found


# Names people write that CLDR spells otherwise.
OTHER_SPELLINGS = {
    "belorussia": "BY",
    "byelorussia": "BY",
    "белоруссия": "BY",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "uk": "GB",
    "usa": "US",
    "united states of america": "US",
    "holland": "NL",
    "czech republic": "CZ",
}


def code_for(text: str) -> str:
    """The code of a country written as a code or as a name in any of the site's languages;
    "" when it cannot be told (existing free text that names no country)."""
    key = " ".join((text or "").split()).strip(" .").casefold()
    if not key:
        return ""
    return _codes_by_name().get(key) or OTHER_SPELLINGS.get(key, "")


class CountryField(forms.ChoiceField):
    """A country picked from the list, named in the reader's language; the value is the code.
    A code typed in any case, or a name in one of the site's languages (an API client), is
    taken too."""

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        super().__init__(choices=self._choices_now, required=required, **kwargs)

    @staticmethod
    def _choices_now() -> list[tuple[str, str]]:
        return [("", "—"), *country_choices()]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return code_for(text) or text

    def valid_value(self, value: str) -> bool:
        # The codes do not depend on the language: no need to build the named list to check.
        return is_country(value)
