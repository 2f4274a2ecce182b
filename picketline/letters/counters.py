"""Public counts: confirmed letters only, and names only of those who agreed to be listed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from picketline.letters.countries import country_name
from picketline.letters.models import Delivery, Letter, LetterAction
from picketline.supporters.models import Consent


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    letters: int


def letters_total() -> int:
    return Letter.objects.confirmed().filter(action__published=True).count()


def letters_for(action: LetterAction) -> int:
    return Letter.objects.confirmed().filter(action=action).count()


def per_action() -> dict[int, int]:
    rows = (
        Letter.objects.confirmed()
        .values("action_id")
        .annotate(n=Count("id"))
        .values_list("action_id", "n")
    )
    return dict(rows)


def per_target_country(action: LetterAction | None = None) -> list[CountryCount]:
    """Confirmed letters by the country of their recipients (a letter to two recipients in one
    country counts once for it)."""
    deliveries = Delivery.objects.exclude(status=Delivery.Status.CANCELLED)
    if action is not None:
        deliveries = deliveries.filter(action=action)
    else:
        deliveries = deliveries.filter(action__published=True)
    rows = (
        deliveries.values("target__country")
        .annotate(n=Count("letter_id", distinct=True))
        .order_by("-n", "target__country")
    )
    return [
        CountryCount(r["target__country"], country_name(r["target__country"]), r["n"]) for r in rows
    ]


def signatories(action: LetterAction, limit: int = 200) -> list[tuple[str, str]]:
    """Name and country of confirmed letter writers who agreed to be listed (and still do)."""
    consented = Consent.objects.confirmed().filter(
        purpose=Consent.Purpose.PUBLISH_NAME,
        action_type=Letter._meta.label_lower,
        action_id__in=Letter.objects.filter(action=action).values("pk"),
    )
    letters = (
        Letter.objects.confirmed()
        .filter(
            action=action,
            pk__in=consented.values("action_id"),
            supporter__isnull=False,
        )
        .select_related("supporter")
        .order_by("-confirmed_at")[:limit]
    )
    return [
        (letter.supporter.name, country_name(letter.country) if letter.country else "")
        for letter in letters
        if letter.supporter.name
    ]
