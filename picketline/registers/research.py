"""Reading the research file (``data/belarus-unions-research.json``, shipped in this package).

This is the only copy the project reads (nothing outside its own tree): the letters demo takes
its embassies from ``load_research()`` as well.

The file states facts loosely ("2022-04 (19 April 2022 per BWI)", "released in August 2024 …");
this module turns each record into the register's import format (see ``exchange.py``) without
losing anything: a date the sources disagree on is kept as stated and marked disputed, every
fact takes the record's sources, and the file's ``uncertain_fields`` become disputed notes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from picketline.registers.models import DatePrecision, SanctionsStatus, Status
from picketline.registers.unions import split_union

RESEARCH_FILE = "belarus-unions-research.json"
PACKAGED = Path(__file__).parent / "data" / RESEARCH_FILE


def research_path() -> Path:
    """The packaged copy, unless ``REGISTERS_RESEARCH_FILE`` names another file."""
    override = getattr(settings, "REGISTERS_RESEARCH_FILE", "")
    return Path(override) if override else PACKAGED


def load_research(path: Path | None = None) -> dict[str, Any]:
    with open(path or research_path(), encoding="utf-8") as handle:
        return json.load(handle)


DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
MONTHS = {
    name: number
    for number, name in enumerate(
        "january february march april may june july august september october november december".split(),
        start=1,
    )
}
WRITTEN_DATE_RE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b", re.IGNORECASE)


def parse_date(text: str | None) -> tuple[date | None, str, bool]:
    """(date, precision, disputed) from a date as the research file states it.

    Anything after the date itself ("(Viasna); Salidarnast says …", "/19") means the sources give
    more than one date or qualify it: the fact is kept but marked disputed.
    """
    if not text:
        return None, DatePrecision.DAY, False
    match = DATE_RE.match(text.strip())
    if not match:
        return None, DatePrecision.DAY, True
    year, month, day = match.groups()
    rest = text.strip()[match.end() :].strip()
    disputed = bool(rest) and bool(re.search(r"/|\bper\b|says|\bvs\b|;", rest))
    if day:
        return date(int(year), int(month), int(day)), DatePrecision.DAY, disputed
    if month:
        return date(int(year), int(month), 1), DatePrecision.MONTH, disputed
    return date(int(year), 1, 1), DatePrecision.YEAR, disputed


def written_date(text: str | None) -> date | None:
    """The first "24 March 2023" in a sentence."""
    match = WRITTEN_DATE_RE.search(text or "")
    if not match:
        return None
    day, month, year = match.groups()
    return date(int(year), MONTHS[month.lower()], int(day))


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


BELARUSIAN_LETTERS = set("іўІЎ'’")
RUSSIAN_LETTERS = set("иъщИЪЩ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def split_names(variants: list[str]) -> tuple[str, str, list[str]]:
    """(Belarusian, Russian, others) among the spellings of a name.

    A spelling with і/ў is Belarusian, one with и/щ/ъ Russian. Two Cyrillic spellings with neither
    marker ("Ярашук", "Ярошук") differ by akanne: Belarusian writes the unstressed o as a, so the
    one with fewer o is taken as Belarusian. Anything still unclear stays among the others.
    """
    belarusian = russian = ""
    ambiguous: list[str] = []
    others: list[str] = []
    for name in variants:
        letters = set(name)
        if not CYRILLIC.search(name):
            others.append(name)
        elif not belarusian and letters & BELARUSIAN_LETTERS:
            belarusian = name
        elif not russian and letters & RUSSIAN_LETTERS:
            russian = name
        else:
            ambiguous.append(name)
    if len(ambiguous) >= 2 and not belarusian and not russian:
        by_o = sorted(ambiguous, key=lambda n: n.lower().count("о"))
        if by_o[0].lower().count("о") < by_o[-1].lower().count("о"):
            belarusian, russian = by_o[0], by_o[-1]
            ambiguous = [n for n in ambiguous if n not in (belarusian, russian)]
    return belarusian, russian, others + ambiguous


# Cities named in the records' own union or role text (the enterprise's town for a plant).
CITY_HINTS = [
    (r"Grodno|Hrodna", "Hrodna"),
    (r"Naftan|Navapolatsk|Novopolotsk|Polimir", "Navapolatsk"),
    (r"\bMAZ\b|Minsk", "Minsk"),
    (r"Brest", "Brest"),
    (r"Belaruskali|Salihorsk|Soligorsk", "Salihorsk"),
    (r"Polotsk|Polatsk", "Polatsk"),
    (r"Mahiliou|Mogilev", "Mahiliou"),
    (r"Homiel|Gomel", "Homiel"),
    (r"Zhlobin|BMZ", "Zhlobin"),
    (r"Zhodino|Zhodzina|BelAZ", "Zhodzina"),
    (r"Mozyr|Mazyr", "Mazyr"),
]


def city_in(*texts: str | None) -> str:
    joined = " ".join(t for t in texts if t)
    for pattern, city in CITY_HINTS:
        if re.search(pattern, joined):
            return city
    return ""


def classify_status(text: str | None) -> str:
    """The register's status for a reported status sentence."""
    if not text:
        return Status.UNKNOWN
    lowered = text.lower()
    if lowered.startswith("not known to have been"):
        # Released, detained again, outcome not known: nothing to report as the present.
        return Status.UNKNOWN
    if "released" in lowered or "free since" in lowered:
        if re.search(r"deported|expelled|taken to lithuania", lowered):
            return Status.EXILED
        return Status.RELEASED
    if re.search(r"imprisoned|in captivity|convicted", lowered):
        return Status.IN_CUSTODY
    return Status.UNKNOWN


ARTICLE_RE = re.compile(r"Art\.?\s*([\d\-–]+(?:\s*part\s*\d+)?)", re.IGNORECASE)

# Which statements of ``uncertain_fields`` concern which kind of event.
DISPUTE_KEYWORDS = {
    "detention": ("detention", "detained", "arrest"),
    "charge": ("charge", "article", "speech underlying"),
    "court": ("trial",),
    "verdict": ("verdict",),
    "sentence": ("sentence", "term", "regime"),
    "appeal": ("appeal",),
    "place": ("colony", "prison"),
    "status": ("status", "release", "outcome", "pardon", "amnesty"),
}


def disputes_for(kind: str, uncertain: list[str]) -> list[str]:
    words = DISPUTE_KEYWORDS.get(kind, ())
    return [u for u in uncertain if any(w in u.lower() for w in words)]


def person_record(raw: dict[str, Any]) -> dict[str, Any]:
    """One prisoner of the research file as an import record."""
    sources = list(raw.get("sources") or [])
    uncertain = list(raw.get("uncertain_fields") or [])
    belarusian, russian, others = split_names(raw.get("name_variants") or [])
    events: list[dict[str, Any]] = []

    def add(kind: str, text: str, when: date | None = None, precision: str = "day", **extra: Any):
        notes = disputes_for(kind, uncertain)
        if extra.pop("date_disputed", False):
            notes.append(str(extra.pop("date_text")))
        extra.pop("date_text", None)
        events.append(
            {
                "kind": kind,
                "happened_on": iso(when),
                "precision": precision,
                "text": text,
                "articles": extra.get("articles", []),
                "disputed": bool(notes),
                "disputed_note": "; ".join(notes),
                "sources": sources,
            }
        )

    detained, detained_precision, detained_disputed = parse_date(raw.get("date_of_detention"))
    if raw.get("date_of_detention"):
        add(
            "detention",
            f"Detained: {raw['date_of_detention']}",
            detained,
            detained_precision,
            date_disputed=detained_disputed,
            date_text=raw["date_of_detention"],
        )
    if raw.get("charge_history"):
        add("charge", raw["charge_history"])
    for charge in raw.get("charges") or []:
        articles = [re.sub(r"\s+", " ", a).strip() for a in ARTICLE_RE.findall(charge)]
        add("charge", charge, articles=articles)
    trial_start, trial_precision, trial_disputed = parse_date(raw.get("trial_start"))
    court_bits = [raw.get("case"), raw.get("court")]
    if raw.get("judge"):
        court_bits.append(f"judge {raw['judge']}")
    if any(court_bits) or trial_start:
        text = "; ".join(b for b in court_bits if b)
        if trial_start:
            text = f"Trial from {raw['trial_start']}" + (f": {text}" if text else "")
        add("court", text, trial_start, trial_precision, date_disputed=trial_disputed,
            date_text=raw.get("trial_start"))  # fmt: skip
    verdict, verdict_precision, verdict_disputed = parse_date(raw.get("verdict_date"))
    if raw.get("verdict_date"):
        add("verdict", f"Verdict: {raw['verdict_date']}", verdict, verdict_precision,
            date_disputed=verdict_disputed, date_text=raw["verdict_date"])  # fmt: skip
    if raw.get("sentence"):
        text = raw["sentence"] + (f" ({raw['regime']})" if raw.get("regime") else "")
        add("sentence", text, verdict, verdict_precision)
    if raw.get("appeal"):
        add("appeal", raw["appeal"], written_date(raw["appeal"]))
    if raw.get("place_of_detention_last_reported"):
        add("place", raw["place_of_detention_last_reported"])
    listing_texts = [
        sentence.strip()
        for field in ("status_last_reported", "notes")
        for sentence in re.split(r"(?<=[.;])\s+", raw.get(field) or "")
        if re.search(r"extremist|terrorist", sentence, re.IGNORECASE)
    ]
    for text in listing_texts:
        add("listing", text)

    status = classify_status(raw.get("status_last_reported"))
    reported, reported_precision, _disputed = parse_date(raw.get("status_date"))
    released = None
    if status in (Status.RELEASED, Status.EXILED) and reported_precision == DatePrecision.DAY:
        released = reported
    if raw.get("status_last_reported"):
        kind = {Status.RELEASED: "release", Status.EXILED: "exile"}.get(status, "status")
        add(kind, raw["status_last_reported"], reported, reported_precision)
    return {
        "ref": raw["id"],
        "slug": slugify(f"{raw['full_name']}")[:110] or raw["id"],
        "name": raw["full_name"],
        "name_belarusian": belarusian,
        "name_russian": russian,
        "other_spellings": others,
        "union": split_union(raw.get("union_or_group") or "")[0],
        "union_note": split_union(raw.get("union_or_group") or "")[1],
        "role": raw.get("role") or "",
        "city": city_in(raw.get("union_or_group")),
        "status": str(status),
        "status_reported_on": iso(reported),
        "status_precision": str(reported_precision),
        "status_text": raw.get("status_last_reported") or "",
        "status_sources": sources,
        "detained_on": iso(detained),
        "detained_precision": str(detained_precision),
        "released_on": iso(released),
        "notes": raw.get("notes") or "",
        "disputed": uncertain,
        "sources": sources,
        "events": [{**e, "precision": str(e["precision"])} for e in events],
    }


COMPANY_CYRILLIC = {
    # Registered names as the companies write them; facts, not translations.
    "belaruskali": "ОАО «Беларуськалий»",
    "grodno-azot": "ОАО «Гродно Азот»",
    "naftan": "ОАО «Нафтан»",
    "maz": "ОАО «МАЗ» (Минский автомобильный завод)",
    "belaz": "ОАО «БЕЛАЗ»",
    "bmz": "ОАО «Белорусский металлургический завод»",
    "belarusian-railway": "Белорусская железная дорога",
    "mozyr-oil-refinery": "ОАО «Мозырский НПЗ»",
}


def company_ref(name: str) -> str:
    short = re.split(r"\s*\(", name, maxsplit=1)[0]
    return slugify(short)[:40]


def sanctions_status(text: str) -> str:
    lowered = text.lower()
    if not lowered:
        return SanctionsStatus.NONE_KNOWN
    if "lifted" in lowered and "refused to lift" not in lowered:
        return SanctionsStatus.PARTLY_LIFTED
    if re.search(r"sanction", lowered) and "did not cover" not in lowered:
        return SanctionsStatus.SANCTIONED
    return SanctionsStatus.NONE_KNOWN


PARTNER_RE = re.compile(r"(Norwegian|German|Swiss|Dutch|Austrian|Lithuanian|Polish) buyer (\w+)")
COUNTRIES = {
    "Norwegian": "Norway",
    "German": "Germany",
    "Swiss": "Switzerland",
    "Dutch": "Netherlands",
    "Austrian": "Austria",
    "Lithuanian": "Lithuania",
    "Polish": "Poland",
}


def company_record(raw: dict[str, Any]) -> dict[str, Any]:
    sources = list(raw.get("sources") or [])
    ref = company_ref(raw["name"])
    partners = []
    for concern in raw.get("labour_rights_concerns") or []:
        for nationality, partner in PARTNER_RE.findall(concern):
            partners.append(
                {
                    "name": partner,
                    "country": COUNTRIES[nationality],
                    "relationship": concern,
                    "sources": sources,
                }
            )
    return {
        "ref": ref,
        "slug": ref,
        "name": raw["name"],
        "name_cyrillic": COMPANY_CYRILLIC.get(ref, ""),
        "other_names": [],
        "sector": raw.get("sector") or "",
        "ownership": raw.get("ownership") or "",
        "city": city_in(raw["name"], raw.get("sector")),
        "sanctions_status": str(sanctions_status(raw.get("sanctions_context") or "")),
        "sanctions_note": raw.get("sanctions_context") or "",
        "sources": sources,
        "concerns": [
            {"text": text, "reported_on": None, "disputed": False, "sources": sources}
            for text in raw.get("labour_rights_concerns") or []
        ],
        "partners": partners,
    }


def people(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [person_record(raw) for raw in data.get("prisoners", [])]


def companies(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [company_record(raw) for raw in data.get("companies", [])]
