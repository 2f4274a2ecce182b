"""Names for ``QuerySet.only`` of the fields organisers write in every language (modeltranslation)."""

from __future__ import annotations

from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname


def with_translations(path: str) -> tuple[str, ...]:
    """``path`` ("action__title") and its column in each language ("action__title_en", …):
    what ``QuerySet.only`` keeps so that the field reads in any language, falling back to
    another, without a query of its own."""
    head, _sep, name = path.rpartition("__")
    prefix = f"{head}__" if head else ""
    localized = (prefix + build_localized_fieldname(name, code) for code in AVAILABLE_LANGUAGES)
    return (path, *localized)
