"""Sorting names as a reader of the language expects, without ICU.

Python compares code points: in Belarusian "Ірландыя" (І, U+0406) then falls after "Япония",
and Ё after Я. ``sort_key`` places the Cyrillic letters in alphabet order (Russian,
Belarusian and Ukrainian letters in one order, each language using its own of them; Ё sorts
with Е as dictionaries do); Latin and other scripts keep their code-point order, accents
folded (é with e)."""

from __future__ import annotations

import unicodedata

CYRILLIC = "абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя"
# Dictionaries file Ё with Е: the first pass ignores the difference, the second decides.
PRIMARY = {letter: index for index, letter in enumerate(CYRILLIC.replace("ё", ""))}
PRIMARY["ё"] = PRIMARY["е"]


def _letter_key(letter: str) -> tuple[int, int]:
    if letter in PRIMARY:
        return (1, PRIMARY[letter])
    # Accents folded (é files with e): the letter without its combining marks.
    base = unicodedata.normalize("NFD", letter)[0]
    return (0 if base.isascii() else 2, ord(base))


def sort_key(text: str) -> tuple:
    """A key for ``sorted()``: alphabet order first, then case and the letter's exact form."""
    folded = text.casefold()
    return (tuple(_letter_key(letter) for letter in folded), folded, text)
