"""Unions as the sources write them ("SPM (primary organisation at MAZ, Minsk Automobile
Plant)", "REP (Brest)", "Rabochy Rukh / BNP") split into the one union record and what the
source adds about it. Pure functions: the research reader and a migration use them."""

from __future__ import annotations

import re

from django.utils.text import slugify

# The unions and groups the register knows: key -> (abbreviation, name in English).
KNOWN = {
    "bkdp": ("BKDP", "Belarusian Congress of Democratic Trade Unions"),
    "bnp": ("BNP", "Belarusian Independent Trade Union"),
    "spb": ("SPB", "Belarusian Free Trade Union"),
    "spm": ("SPM", "Free Trade Union of Metalworkers"),
    "rep": ("REP", "Belarusian Trade Union of Radio and Electronics Industry Workers"),
    "rabochy-rukh": ("", "Rabochy Rukh"),
    "naftan-strike-committee": ("", "Naftan strike committee (2020)"),
}
_SPECIAL = {
    "bkdp-affiliated independent unions": ("bkdp", "an affiliated union, not named"),
    "naftan strike committee": ("naftan-strike-committee", ""),
}


def split_union(text: str) -> tuple[str, str]:
    """(key of the union, what the source adds) for a union as a source writes it; ("", "")
    for no union."""
    text = " ".join(text.split())
    if not text:
        return "", ""
    head = re.split(r"\s*(?:\(|/|—)", text, maxsplit=1)[0].strip()
    lowered = head.lower()
    if lowered in _SPECIAL:
        return _SPECIAL[lowered]
    key = slugify(head)[:60] or "unknown"
    rest = text[len(head) :].strip()
    notes = []
    for part in re.findall(r"\(([^)]*)\)", rest):
        if part.strip().lower() != KNOWN.get(key, ("", ""))[1].lower():
            notes.append(part.strip())
    others = [o.strip() for o in re.findall(r"/\s*([^(/—]+)", rest) if o.strip()]
    if others and key == "bnp":  # "BNP / BITU": two names of one union
        others = [o for o in others if o.upper() != "BITU"]
    notes += [f"also {o}" for o in others]
    return key, "; ".join(notes)


def union_fields(key: str) -> dict[str, str]:
    """Abbreviation and name of a union record made for ``key``."""
    abbreviation, name = KNOWN.get(key, ("", key.replace("-", " ").title()))
    return {"abbreviation": abbreviation, "name": name}
