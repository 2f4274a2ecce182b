"""What the privacy page shows of an action's personal data: the same values as the download,
written for a person (field names as labels, dates in the reader's format, lists as text,
choices and countries by name, a list of records as one line per record)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from picketline.web.countries import country_name

if TYPE_CHECKING:
    from picketline.supporters.models import Consent

ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


def shown_value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(None, item) for item in value) or "—"
    if isinstance(value, str) and ISO_MOMENT.match(value):
        moment = datetime.fromisoformat(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.name == "country":
        return country_name(str(value))
    return str(value)


def shown_record(record: dict[str, Any], labels: dict[str, Any]) -> str:
    """A record of its own (a host's message) as "Label: value; Label: value"."""
    return "; ".join(
        f"{capfirst(str(labels.get(key, key)))}: {shown_value(None, value)}"
        for key, value in record.items()
    )


def shown_data(action: models.Model, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each entry of ``action.personal_data()``, in the active language; a
    list of records gives a row per record, its parts named by ``personal_data_labels`` too."""
    fields = {
        field.name: field
        for field in action._meta.get_fields()
        if isinstance(field, models.Field) and field.verbose_name
    }
    by_label = {str(field.verbose_name): field for field in fields.values()}
    labels = getattr(action, "personal_data_labels", {})
    rows = []
    for key, value in data.items():
        field = fields.get(key) or by_label.get(key)
        label = capfirst(str(labels.get(key) or (field.verbose_name if field is not None else key)))
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            rows.extend((label, shown_record(item, labels)) for item in value)
        else:
            rows.append((label, shown_value(field, value)))
    return rows


def consent_covers(consent: Consent, action: models.Model | None) -> str:
    """What a consent is for, as the privacy page says it: every action of the person, or the
    one action it was given with (by what its confirmation mail called it, and when)."""
    if consent.covers_every_action:
        return gettext(
            "One consent for everything you do here, however many forms you ticked it on: "
            "withdrawing it withdraws it everywhere."
        )
    if action is None:
        return gettext("Only for the one action it was given with.")
    return gettext(
        "Only for this action: %(action)s, %(date)s. Your other actions keep their own."
    ) % {
        "action": action.confirmation_subject(),
        "date": date_format(timezone.localtime(action.created_at), "DATETIME_FORMAT"),
    }


@dataclasses.dataclass
class ConsentShown:
    """One consent on the privacy page: each time it was given (``Consent.scope``), what it
    covers, and the consent still standing, whose button withdraws them all."""

    purpose: str
    partner: str
    covers: str
    given: list[Consent] = dataclasses.field(default_factory=list)
    standing: Consent | None = None

    @property
    def wordings(self) -> list[Consent]:
        """One consent per distinct text seen, oldest first."""
        seen: dict[int, Consent] = {}
        for consent in self.given:
            seen.setdefault(consent.wording_id, consent)
        return list(seen.values())


def shown_consents(
    consents: Iterable[Consent], actions: Iterable[models.Model]
) -> list[ConsentShown]:
    """A supporter's consents as the privacy page lists them, the most recently given first."""
    by_action = {(action._meta.label_lower, action.pk): action for action in actions}
    shown: dict[tuple[Any, ...], ConsentShown] = {}
    for consent in sorted(consents, key=lambda c: c.given_at, reverse=True):
        entry = shown.get(consent.scope())
        if entry is None:
            action = by_action.get((consent.action_type, consent.action_id))
            entry = shown[consent.scope()] = ConsentShown(
                purpose=consent.get_purpose_display(),
                partner=consent.partner.name if consent.partner else "",
                covers=consent_covers(consent, action),
            )
        entry.given.insert(0, consent)
        if consent.withdrawn_at is None:
            entry.standing = consent
    return list(shown.values())


def withdrawn_message(consent: Consent, action: models.Model | None) -> str:
    """What the privacy page says at its top once a consent is withdrawn, and what that did."""
    what = consent.get_purpose_display()
    if consent.partner is not None:
        what = f"{what} ({consent.partner.name})"
    said = gettext("You have withdrawn your consent “%(consent)s”.") % {"consent": what}
    if not consent.covers_every_action:
        said = f"{said} {consent_covers(consent, action)}"
    return f"{said} {consent.withdrawal_effect()}"
