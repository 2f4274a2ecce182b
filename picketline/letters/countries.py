"""The countries the letter form offers: those the campaign's targets sit in.

Targets carry a two-letter ISO code; this short list (with "another country", which leads to
an action's fallback targets) is what a supporter picks from. Names come from CLDR in the
reader's language (``picketline.web.countries``).
"""

from __future__ import annotations

from django.utils.translation import gettext

from picketline.lib.collation import sort_key
from picketline.web.countries import country_name as cldr_name

OFFERED = frozenset(
    {
        "AT", "BE", "BY", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR",
        "GB", "IE", "IT", "LT", "LV", "NL", "NO", "PL", "SE", "UA", "US",
    }
)  # fmt: skip
OTHER = "ZZ"  # "another country": no targets of its own, the action's fallback applies


def country_name(code: str, language: str | None = None) -> str:
    """The name in ``language`` (the active one when None)."""
    if code == OTHER:
        from django.utils import translation

        with translation.override(language or translation.get_language()):
            return gettext("another country")
    return cldr_name(code, language)


def country_choices() -> list[tuple[str, str]]:
    """The form's choices in the active language, sorted by name in its alphabet (І among
    the Belarusian letters, not after Я), "another country" last."""
    named = sorted(((code, cldr_name(code)) for code in OFFERED), key=lambda c: sort_key(c[1]))
    return [*named, (OTHER, gettext("another country"))]
