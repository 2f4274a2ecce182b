"""Supporters and mailings built in code for the mailing tests."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from picketline.mailings.models import Mailing, MailingVersion
from picketline.partners.models import Partner
from picketline.supporters.models import Consent, Subscription, Supporter


def supporter(
    email: str,
    *,
    name: str = "",
    language: str = "en",
    country: str = "",
    consent: bool = True,
    partner: str = "",
    confirmed: bool = True,
) -> Supporter:
    """A supporter with a "keep me informed" consent (or a partner's), confirmed by default."""
    person, _ = Supporter.get_or_create_for_email(
        email, name=name, language=language, country=country
    )
    if consent:
        subscription = Subscription.objects.create(supporter=person, language=language)
        Consent.record(
            person,
            Consent.Purpose.PARTNER_UPDATES if partner else Consent.Purpose.ORGANISER_UPDATES,
            "Keep me informed",
            language,
            "/en/me/keep-me-informed/",
            partner=partner_named(partner) if partner else None,
            action=subscription,
        )
        if confirmed:
            subscription.confirm()
    return person


def partner_named(name: str) -> Partner:
    """The partner of that name, made once."""
    return Partner.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def mailing(versions: dict[str, tuple[str, str]] | None = None, **fields: Any) -> Mailing:
    """A draft mailing; ``versions`` maps a language to (subject, body); ``partner`` a name."""
    if isinstance(fields.get("partner"), str):
        fields["partner"] = partner_named(fields["partner"])
    made = Mailing.objects.create(**{"title": "April news", "rate": 60_000, **fields})
    for language, (subject, body) in (
        versions or {"en": ("News for {name}", "Hello {name},\n\nThe trial starts on 3 May.")}
    ).items():
        MailingVersion.objects.create(mailing=made, language=language, subject=subject, body=body)
    return made


def emails(recipients) -> list[str]:
    return sorted(r.email for r in recipients)
