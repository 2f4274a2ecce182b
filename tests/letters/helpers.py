"""Small builders for letter tests: targets, actions with texts, and confirmed letters."""

from __future__ import annotations

from datetime import time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from picketline.letters import sending
from picketline.letters.models import Letter, LetterAction, LetterText, Role, Target, TargetAddress
from picketline.mail import outbox
from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter

BODY_EN = (
    "Dear {recipient},\n\nI am {name}, {role} at {organisation} in {country}. "
    "Please release the jailed trade unionists.\n\n{personal_paragraph}\n\nYours sincerely,\n{name}"
)
BODY_RU = "Уважаемые {recipient}!\n\nОсвободите профсоюзных активистов.\n\n{personal_paragraph}\n\nС уважением,\n{name}"


def target(name: str, country: str, role: str = Role.EMBASSY_OF_BELARUS, **kwargs) -> Target:
    emails = kwargs.pop("emails", None)
    created = Target.objects.create(name=name, country=country, role=role, **kwargs)
    for email in (
        emails if emails is not None else [f"{name.lower().replace(' ', '.')}@example.org"]
    ):
        TargetAddress.objects.create(target=created, email=email)
    return created


def letter_action(slug: str = "release", **kwargs) -> LetterAction:
    defaults = dict(
        title="Release them",
        published=True,
        window_start=time(0, 0),
        window_end=time(0, 0),
        max_per_hour=1000,
    )
    fixed = kwargs.pop("fixed", [])
    fallback = kwargs.pop("fallback", [])
    action = LetterAction.objects.create(slug=slug, **{**defaults, **kwargs})
    action.fixed_targets.set(fixed)
    action.fallback_targets.set(fallback)
    LetterText.objects.create(
        action=action, language="en", subject="Free the unionists, {country}", body=BODY_EN
    )
    LetterText.objects.create(
        action=action, language="ru", subject="Освободите профсоюзных активистов", body=BODY_RU
    )
    return action


def embassy_action(**kwargs) -> LetterAction:
    """Embassy of Belarus in the supporter's country, else the Belarusian foreign ministry."""
    ministry = kwargs.pop("ministry", None) or target(
        "Ministry of Foreign Affairs", "BY", Role.FOREIGN_MINISTRY
    )
    return letter_action(
        targeting=LetterAction.Targeting.COUNTRY_ROLE,
        roles=Role.EMBASSY_OF_BELARUS,
        fallback=[ministry],
        **kwargs,
    )


def form_data(**overrides) -> dict[str, str]:
    data = {
        "name": "Anna Schmidt",
        "email": "anna@example.net",
        "country": "DE",
        "language": "en",
        "organisation": "ver.di",
        "role": "shop steward",
        "personal_paragraph": "",
        "consent_send_in_my_name": "on",
        "website": "",
        "step": "send",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def confirm_url(letter: Letter) -> str:
    return reverse("supporters:confirm", kwargs={"token": flow.action_token(letter, flow.CONFIRM)})


def confirmed_letter(
    action: LetterAction, email: str = "anna@example.net", name: str = "Anna Schmidt", **kwargs
) -> Letter:
    supporter, _ = Supporter.get_or_create_for_email(email, name=name)
    defaults = dict(country="DE", language="en", organisation="ver.di", role="member")
    letter = Letter.objects.create(action=action, supporter=supporter, **{**defaults, **kwargs})
    # What the letter form records: nothing goes in anyone's name without this consent.
    Consent.record(
        supporter,
        Consent.Purpose.SEND_IN_MY_NAME,
        "Send this in my name to the recipients shown.",
        "en",
        "/en/letters/",
        action=letter,
    )
    letter.confirm()
    sending.write_confirmed_letters()  # what the worker does next
    return letter


def run_the_outbox_for_an_hour() -> None:
    """The outbox once a minute for the next hour, as the worker runs it: single letters go at
    their slots (a letter later than ``sending.GRACE`` would wait to be planned again)."""
    start = timezone.now()
    for minute in range(61):
        with time_machine.travel(start + timedelta(minutes=minute)):
            while outbox.send_due():
                pass
