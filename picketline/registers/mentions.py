"""``[[person:REF]]`` in organisers' texts (``campaigns.mentions``): the person's name and
last reported status from the register, in the text's language."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext

from picketline.registers.models import DatePrecision, Person, Status, format_partial_date

MENTION = re.compile(r"\[\[person:([\w-]+)\]\]")


def expand_people(text: str, language: str) -> str:
    refs = set(MENTION.findall(text))
    if not refs:
        return text
    people = {person.ref: person for person in Person.objects.published().filter(ref__in=refs)}
    with translation.override(language):
        # A mention of nobody published stays visible as written, for the organisers to fix.
        return MENTION.sub(
            lambda match: describe(people[match[1]], language) if match[1] in people else match[0],
            text,
        )


def describe(person: Person, language: str) -> str:
    """ "Aliaksandr Yarashuk (released and expelled on 11 September 2025)", in the active
    language."""
    name = person.local_name(language)
    when = person.released_on or person.status_reported_on
    precision = DatePrecision.DAY if person.released_on else person.status_precision
    date = format_partial_date(when, precision)
    if not date or person.status == Status.UNKNOWN:
        return f"{name} ({person.get_status_display()})"
    wordings = {
        Status.IN_CUSTODY: gettext("%(name)s (in custody, last reported %(date)s)"),
        Status.RELEASED: gettext("%(name)s (released %(date)s)"),
        Status.EXILED: gettext("%(name)s (released and expelled %(date)s)"),
    }
    return wordings[person.status] % {"name": name, "date": date}
