"""Who a mailing goes to, read a batch at a time.

Everyone in an audience has a standing consent to receive it: the organiser's "keep me
informed" (``Consent.Purpose.ORGANISER_UPDATES``) or, for a partner's mailing, a consent to
hear from that partner and no other. The other criteria only narrow that set. Addresses
marked bouncing are left out, and so is anyone erased or withdrawn by the time a batch is read
(the composer checks the consent once more as each message goes).

The supporters are walked in key order after a cursor (keyset pagination), so a mailing to a
hundred thousand people never holds more than one batch in memory. The country a supporter
gave is encrypted, so that criterion is applied after reading each batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet

from picketline.events.models import Registration
from picketline.mail.models import AddressHealth
from picketline.supporters.models import ConfirmableAction, Consent, Supporter, action_models

BATCH = 1000


@dataclass(frozen=True)
class Criteria:
    """An audience. ``partner_id`` None: the organiser's own news."""

    partner_id: int | None = None
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    took_action: str = ""  # an action model's label, e.g. "letters.letter"
    event_id: int | None = None

    @classmethod
    def of(cls, mailing) -> Criteria:
        return cls(
            partner_id=mailing.partner_id,
            languages=tuple(mailing.languages or ()),
            countries=tuple(mailing.countries or ()),
            took_action=mailing.took_action,
            event_id=mailing.event_id,
        )


@dataclass
class Recipient:
    pk: int
    email: str
    name: str
    language: str


def action_kinds() -> list[tuple[str, str]]:
    """(label, name) of every kind of action a supporter can take, for the audience form."""
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name_plural).capitalize())
        for model in action_models()
    )


def consenting(partner_id: int | None = None) -> QuerySet[Supporter]:
    """Supporters with a standing, confirmed consent to news: the organiser's, or with
    ``partner_id`` that partner's only."""
    return Supporter.objects.informed(partner=partner_id)


def standing_among(partner_id: int | None, supporter_ids: set[int]) -> set[int]:
    """Which of these supporters still stand by the consent (as ``consenting``), read through
    the consents' index on the supporter: a batch of the outbox costs one small query."""
    consents = Consent.objects.confirmed().filter(
        supporter_id__in=supporter_ids,
        purpose=Consent.Purpose.PARTNER_UPDATES
        if partner_id is not None
        else Consent.Purpose.ORGANISER_UPDATES,
    )
    if partner_id is not None:
        consents = consents.filter(partner_id=partner_id)
    return set(consents.values_list("supporter_id", flat=True))


def matching(criteria: Criteria) -> QuerySet[Supporter]:
    """The audience as far as SQL can tell (every criterion but the encrypted country)."""
    supporters = consenting(criteria.partner_id)
    if criteria.languages:
        supporters = supporters.filter(language__in=criteria.languages)
    if criteria.took_action:
        model = apps.get_model(criteria.took_action)
        if not issubclass(model, ConfirmableAction):
            raise ValueError(f"{criteria.took_action} is not an action")
        supporters = supporters.filter(pk__in=model.objects.confirmed().values("supporter_id"))
    if criteria.event_id is not None:
        supporters = supporters.filter(
            pk__in=Registration.objects.filter(event_id=criteria.event_id)
            .active()
            .values("supporter_id")
        )
    # Addresses marked bouncing: the same keyed blind index on both sides.
    bouncing = AddressHealth.objects.filter(bouncing_since__isnull=False)
    return supporters.exclude(email_index__in=bouncing.values("address_index"))


def batches(
    criteria: Criteria, after: int = 0, size: int = BATCH
) -> Iterator[tuple[int, list[Recipient]]]:
    """The audience after supporter ``after``, in key order: (last key read, recipients) per
    batch; a batch may be empty when the country criterion left nobody in it."""
    base = matching(criteria).order_by("pk")
    countries = {code.upper() for code in criteria.countries}
    while True:
        rows = list(
            base.filter(pk__gt=after).values_list("pk", "email", "name", "language", "country")[
                :size
            ]
        )
        if not rows:
            return
        after = rows[-1][0]
        chosen = [
            Recipient(pk, email, name, language)
            for pk, email, name, language, country in rows
            if not countries or country.strip().upper() in countries
        ]
        yield after, chosen


def count(criteria: Criteria) -> int:
    """How many people the audience holds now."""
    if not criteria.countries:
        return matching(criteria).count()
    return sum(len(recipients) for _last, recipients in batches(criteria))


def contains(criteria: Criteria, supporter: Supporter) -> bool:
    """Is this supporter in the audience now?"""
    if not matching(criteria).filter(pk=supporter.pk).exists():
        return False
    countries = {code.upper() for code in criteria.countries}
    if countries and supporter.country.strip().upper() not in countries:
        return False
    return True


def withdraw(supporter: Supporter, partner_id: int | None = None) -> int:
    """Withdraw every consent of ``supporter`` that a mailing from ``partner_id`` (None: the
    organisers) rests on. Returns how many were withdrawn (0: none stood)."""
    purpose = (
        Consent.Purpose.PARTNER_UPDATES
        if partner_id is not None
        else Consent.Purpose.ORGANISER_UPDATES
    )
    # Every standing one, as the privacy page's button does (``Consent.given_again``).
    return supporter.consents.filter(purpose=purpose, partner_id=partner_id).withdraw()
