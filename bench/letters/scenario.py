"""The benchmark's data: one action, one target, and helpers the runner calls (in-process,
with the same settings as the server)."""

from __future__ import annotations

from datetime import time

from django.db import connection
from django.urls import reverse
from django.utils import translation

from picketline.letters import sending
from picketline.letters.models import (
    Delivery,
    Letter,
    LetterAction,
    LetterText,
    Role,
    Target,
    TargetAddress,
)
from picketline.mail.models import OutgoingMessage
from picketline.supporters import flow

BODY = (
    "Dear {recipient},\n\nI write from {country} to ask you to release the jailed trade "
    "unionists of Belarus and to let independent unions work again.\n\n{personal_paragraph}\n\n"
    "Yours sincerely,\n{name}\n{role}\n{organisation}"
)


def create_action() -> LetterAction:
    target = Target.objects.create(
        name="Embassy of Belarus (benchmark)", country="DE", role=Role.EMBASSY_OF_BELARUS
    )
    TargetAddress.objects.create(target=target, email="embassy@example.org")
    action = LetterAction.objects.create(
        slug="bench",
        title="Benchmark letter",
        published=True,
        targeting=LetterAction.Targeting.FIXED,
        max_per_hour=10**9,
        window_start=time(0, 0),
        window_end=time(0, 0),
    )
    action.fixed_targets.set([target])
    LetterText.objects.create(action=action, language="en", subject="Release them", body=BODY)
    return action


def create_bare_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_insert "
            "(id bigserial PRIMARY KEY, email text NOT NULL, name text NOT NULL)"
        )


def letters_stored() -> int:
    return Letter.objects.count()


def letters_confirmed() -> int:
    return Letter.objects.confirmed().count()


def confirmation_paths() -> list[str]:
    """The links the confirmation mails carry (same signed tokens), as paths."""
    with translation.override("en"):
        return [
            reverse("supporters:confirm", kwargs={"token": flow.action_token(letter, flow.CONFIRM)})
            for letter in Letter.objects.unconfirmed().only("pk", "created_at")
        ]


def schedule_letters() -> int:
    return sending.queue_due()


def queue_extra(count: int) -> int:
    """Letter-sized messages straight into the outbox, to watch the worker over a long run."""
    delivery = Delivery.objects.filter(message__isnull=False).select_related("message").first()
    template = delivery.message if delivery else None
    batch = []
    for n in range(count):
        batch.append(
            OutgoingMessage(
                to="embassy@example.org",
                subject=template.subject if template else "Release them",
                body_text=template.body_text if template else BODY,
                from_email=template.from_email if template else "campaign@example.org",
                reply_to=f"extra{n}@example.org",
                kind="letter",
                group="letters:bench",
                message_id=f"<extra.{n}@bench.invalid>",
            )
        )
        if len(batch) == 2000:
            OutgoingMessage.objects.bulk_create(batch)
            batch = []
    OutgoingMessage.objects.bulk_create(batch)
    return count


def unsent() -> int:
    return OutgoingMessage.objects.exclude(
        status__in=[OutgoingMessage.Status.SENT, OutgoingMessage.Status.FAILED]
    ).count()
