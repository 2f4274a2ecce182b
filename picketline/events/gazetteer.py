"""The cities a supporter may hold an action in, shipped with the site (``data/cities.tsv``):
found by name in any of the site's languages, with the country, the coordinates of the city
centre and the time zone, so a host names the place once and nothing asks a geocoder."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "cities.tsv"
LANGUAGES = ("en", "de", "ru", "be")


@dataclass(frozen=True)
class City:
    key: str
    country: str  # ISO 3166-1 alpha-2
    latitude: Decimal
    longitude: Decimal
    time_zone: str  # IANA
    names: tuple[tuple[str, str], ...]  # (language, name)

    def name(self, language: str = "en") -> str:
        names = dict(self.names)
        return names.get(language[:2]) or names["en"]

    def label(self, language: str = "en") -> str:
        """What the list offers and the form takes back: "Leipzig, DE"."""
        return f"{self.name(language)}, {self.country}"


def folded(text: str) -> str:
    """For comparing names: case, accents, dashes and spacing do not matter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = letters.replace("ł", "l").replace("ё", "е").replace("’", "'")
    spaced = letters.replace("-", " ").replace(".", " ").replace(",", " , ")
    return " ".join(spaced.split())


@cache
def cities() -> tuple[City, ...]:
    found = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, country, latitude, longitude, zone, *names = line.split("\t")
        found.append(
            City(
                key=key,
                country=country,
                latitude=Decimal(latitude),
                longitude=Decimal(longitude),
                time_zone=zone,
                names=tuple(zip(LANGUAGES, names, strict=True)),
            )
        )
    return tuple(found)


@cache
def _index() -> dict[str, tuple[City, ...]]:
    index: dict[str, list[City]] = {}
    for city in cities():
        spellings = {folded(name) for _language, name in city.names}
        spellings |= {folded(f"{name}, {city.country}") for _language, name in city.names}
        for spelling in spellings:
            index.setdefault(spelling, []).append(city)
    return {spelling: tuple(found) for spelling, found in index.items()}


def search(query: str) -> list[City]:
    """Cities whose name, in any language, is ``query`` ("Leipzig", "лейпциг", "Leipzig, DE");
    failing that, those whose name starts with it."""
    wanted = folded(query)
    if not wanted:
        return []
    exact = _index().get(wanted)
    if exact:
        return list(exact)
    starting = {
        city.key: city
        for spelling, found in _index().items()
        if spelling.startswith(wanted)
        for city in found
    }
    return sorted(starting.values(), key=lambda city: city.key)


def by_key(key: str) -> City | None:
    return next((city for city in cities() if city.key == key), None)
