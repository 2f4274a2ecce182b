"""Finding a name however it was spelled.

Names of Belarusian people reach us in Belarusian and Russian Cyrillic and in half a dozen Latin
transliterations ("Yarashuk", "Yaroshuk", "Ярашук", "Ярошук"). Every spelling is reduced to two
keys: a plain Latin transliteration, and a consonant skeleton in which the letters the
transliterations disagree on (vowels, akanne's o/a, y/j glides, h/g/kh, v/w/ŭ, ts/c) fall
together. A query matches a name when each of its words starts a word of either key.
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "io", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "є": "ie", "ї": "i",
}  # fmt: skip

# Latin letters with diacritics used in Belarusian Łacinka and scholarly transliteration whose
# base letter alone would lose a sound: š → sh rather than s.
LATIN_SPECIAL = {"š": "sh", "ž": "zh", "č": "ch", "ł": "l", "ŭ": "u", "ć": "ts", "ś": "s", "ź": "z"}

# Applied in order to the Latin transliteration: spellings that stand for the same sound.
SKELETON_RULES = [
    (r"^[yji](?=[aeiou])", "Y"),  # a word-initial glide (Ya-, Ia-, Я) is kept, unlike a vowel
    (r"shch|szcz", "sh"),
    (r"tsch", "ch"),  # German spellings: Jaroschuk, Tschytschmarou
    (r"sch|sz", "sh"),
    (r"dzh", "J"),  # upper case: not taken for the glide j below
    (r"dz", "d"),  # Belarusian dz where Russian has d: Henadz / Gennadiy
    (r"x", "ks"),
    (r"kh|gh|g|h", "h"),
    (r"tz|ts|c(?!h)", "c"),
    (r"w", "v"),
    (r"ph", "f"),
    (r"q", "k"),
]


def latin(text: str) -> str:
    """Lower-case Latin letters and spaces: Cyrillic transliterated, diacritics dropped."""
    out = []
    for char in text.lower():
        if char in CYRILLIC:
            out.append(CYRILLIC[char])
        elif char in LATIN_SPECIAL:
            out.append(LATIN_SPECIAL[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return re.sub(r"[^a-z0-9]+", " ", "".join(out)).strip()


def skeleton_word(word: str) -> str:
    for pattern, replacement in SKELETON_RULES:
        word = re.sub(pattern, replacement, word)
    consonants = re.sub(r"[aeiouyj]", "", word).lower()
    return re.sub(r"(.)\1+", r"\1", consonants)  # doubled letters count once


def keys(text: str) -> list[str]:
    """The words of ``text`` as they are searched: transliterated words and their skeletons."""
    words = latin(text).split()
    return words + [s for s in (skeleton_word(w) for w in words) if s]


def search_text(*names: str) -> str:
    """What a record stores to be found by any of its names; words are space-delimited."""
    found: list[str] = []
    for name in names:
        for key in keys(name):
            if key not in found:
                found.append(key)
    return " " + " ".join(found) + " "


def query_terms(query: str) -> list[tuple[str, str]]:
    """Each word of a query as (transliteration, skeleton); either may match."""
    return [(word, skeleton_word(word)) for word in latin(query).split()]
