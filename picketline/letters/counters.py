"""Public counts: confirmed letters only, and names only of those who agreed to be listed.

Each count reads every confirmed letter of an action, so pages do not run them on every
request: a result is kept in the cache for at most ``COUNTS_CACHE_SECONDS``, and a new
confirmation shows within that time (an erased letter stays counted; nothing else changes a
count at once). The names are kept under the content version as well, so that a withdrawn
"publish my name" or an erasure takes a name down at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count

from picketline.letters.countries import country_name
from picketline.letters.models import Delivery, Letter, LetterAction
from picketline.supporters.models import Consent
from picketline.web.content import content_version

COUNTS_CACHE_SECONDS = 60
T = TypeVar("T")


def _kept(name: str, compute: Callable[[], T], *, names: bool = False) -> T:
    key = f"letters:counts:{content_version()}:{name}" if names else f"letters:counts:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_CACHE_SECONDS)
    return value


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    letters: int


def letters_total() -> int:
    return _kept("total", lambda: Letter.objects.confirmed().filter(action__published=True).count())


def letters_for(action: LetterAction) -> int:
    return _kept(
        f"action:{action.pk}", lambda: Letter.objects.confirmed().filter(action=action).count()
    )


def per_action() -> dict[int, int]:
    def count() -> dict[int, int]:
        rows = (
            Letter.objects.confirmed()
            .values("action_id")
            .annotate(n=Count("id"))
            .values_list("action_id", "n")
        )
        return dict(rows)

    return _kept("per-action", count)


def per_target_country(action: LetterAction | None = None) -> list[CountryCount]:
    """Confirmed letters by the country of their recipients: a letter to two recipients in one
    country counts once for it, a letter to recipients in two countries once in each. A letter
    counts as addressed, like the total: one whose delivery was called back (its writer erased
    their data) still counts. The cache keeps codes only; names are made in the reader's
    language."""
    counts = _kept(
        f"countries-by-code:{action.pk if action else 'all'}", lambda: _per_target_country(action)
    )
    return [CountryCount(code, country_name(code), n) for code, n in counts]


def _per_target_country(action: LetterAction | None) -> list[tuple[str, int]]:
    deliveries = Delivery.objects.filter(letter__confirmed_at__isnull=False)
    if action is not None:
        deliveries = deliveries.filter(action=action)
    else:
        deliveries = deliveries.filter(action__published=True)
    rows = (
        deliveries.values("target__country")
        .annotate(n=Count("letter_id", distinct=True))
        .order_by("-n", "target__country")
    )
    return [(r["target__country"], r["n"]) for r in rows]


def signatories(action: LetterAction, limit: int = 200) -> list[str]:
    """Names of confirmed letter writers who agreed to be listed (and still do)."""
    # Keyed apart from the (name, country) pairs kept before, which may still be cached.
    return _kept(
        f"signatories:{action.pk}:{limit}", lambda: _signatories(action, limit), names=True
    )


def _signatories(action: LetterAction, limit: int) -> list[str]:
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
    # The name alone: that is what the consent says is published (not the letter's country,
    # which tells where the writer probably lives).
    return [letter.supporter.name for letter in letters if letter.supporter.name]
