"""The demo campaign's partners: two international confederations and a national union, with
the sites that may frame their embeds and a plain logo drawn here (no file from elsewhere)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from picketline.lib.demo_dates import DemoDates
from picketline.partners.models import Partner

# Written for the demo; the origins are the organisations' public sites, plus a loopback one
# for trying the snippet out on one's own machine.
PARTNERS = [
    {
        "slug": "ituc",
        "name": "International Trade Union Confederation (ITUC)",
        "website": "https://www.ituc-csi.org/",
        "languages": "en ru de",
        "contact": "solidarity@ituc.example.org",
        "origins": "https://www.ituc-csi.org\nhttp://localhost:8001",
        "link_codes": "newsletter\nsocial",
        "colour": (0, 84, 147),
        "initials": "ITUC",
    },
    {
        "slug": "etuc",
        "name": "European Trade Union Confederation (ETUC)",
        "website": "https://www.etuc.org/",
        "languages": "en de",
        "contact": "campaigns@etuc.example.org",
        "origins": "https://www.etuc.org",
        "link_codes": "congress",
        "colour": (200, 16, 46),
        "initials": "ETUC",
    },
    {
        "slug": "verdi",
        "name": "ver.di",
        "website": "https://www.verdi.de/",
        "languages": "de",
        "contact": "international@verdi.example.org",
        "origins": "https://www.verdi.de\nhttps://international.verdi.de",
        "link_codes": "",
        "colour": (228, 0, 43),
        "initials": "ver.di",
    },
]


def _logo(colour: tuple[int, int, int], initials: str) -> bytes:
    picture = Image.new("RGB", (160, 48), colour)
    ImageDraw.Draw(picture).text((10, 17), initials, fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def load(dates: DemoDates) -> None:
    for spec in PARTNERS:
        fields = {
            key: spec[key]
            for key in ("name", "website", "languages", "contact", "origins", "link_codes")
        }
        partner, _created = Partner.objects.update_or_create(slug=spec["slug"], defaults=fields)
        partner.set_logo(_logo(spec["colour"], spec["initials"]))
        partner.save()
