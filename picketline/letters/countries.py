"""Names of the countries the campaign's targets sit in, translated with the interface.

Targets carry a two-letter ISO code; this short list is what the letter form offers (with
"another country", which leads to an action's fallback targets). A code missing here is shown
as the code itself.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BY": _("Belarus"),
    "CA": _("Canada"),
    "CH": _("Switzerland"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "LV": _("Latvia"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "SE": _("Sweden"),
    "UA": _("Ukraine"),
    "US": _("United States"),
}
OTHER = "ZZ"  # "another country": no targets of its own, the action's fallback applies


def country_name(code: str) -> str:
    if code == OTHER:
        return str(_("another country"))
    return str(COUNTRIES.get(code.upper(), code.upper()))


def country_choices() -> list[tuple[str, str]]:
    """The form's choices in the active language, sorted by name. Translations are fixed once
    the process runs, so each language's list is built once."""
    language = get_language() or settings.LANGUAGE_CODE
    choices = _CHOICES.get(language)
    if choices is None:
        choices = sorted(
            ((code, str(name)) for code, name in COUNTRIES.items()), key=lambda c: c[1]
        )
        choices = _CHOICES[language] = [*choices, (OTHER, str(_("another country")))]
    return choices


_CHOICES: dict[str, list[tuple[str, str]]] = {}
