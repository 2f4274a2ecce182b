"""The steps of ``bench/run-mailing`` that work in the database, run with its settings:

python bench/mailing/steps.py populate N   # N supporters with a confirmed "keep me
                                           # informed" (en, ru, de in turn) and a draft
                                           # mailing: English (the fallback) and Russian
python bench/mailing/steps.py plain M      # M messages written in advance, of the same
                                           # size, queued as any other mail
python bench/mailing/steps.py schedule     # the mailing goes now, at the highest rate
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from picketline.mailings.models import Mailing

BODY = (
    "Hello {name},\n\nThe trial of the five union leaders starts on 3 May in Minsk. "
    "Read what happened so far and how to help: https://campaign.example/en/news/trial/\n\n"
) * 3


def main() -> int:
    django.setup()
    step = sys.argv[1]
    if step == "plain":
        return plain(int(sys.argv[2]))
    if step == "schedule":
        from picketline.mailings import sending
        from picketline.mailings.models import Mailing

        sending.schedule(Mailing.objects.get())
        return 0
    total = int(sys.argv[2])
    started = time.monotonic()
    mailing = populate(total)
    print(f"{total} supporters in {time.monotonic() - started:.1f} s; mailing #{mailing.pk}")
    return 0


def populate(total: int) -> Mailing:
    """``total`` supporters with a confirmed "keep me informed" and the draft mailing."""
    from django.db import transaction

    from picketline.mailings.models import MAX_RATE, Mailing, MailingVersion
    from picketline.supporters.models import Consent, Supporter

    languages = ["en", "ru", "de"]
    for first in range(0, total, 5000):
        with transaction.atomic():
            people = Supporter.objects.bulk_create(
                [
                    Supporter.unsaved(
                        f"reader{i}@bench.example",
                        name=f"Reader {i}",
                        language=languages[i % 3],
                        country="DE",
                    )
                    for i in range(first, min(first + 5000, total))
                ]
            )
            Consent.objects.bulk_create(
                [
                    Consent.given(
                        person,
                        Consent.Purpose.ORGANISER_UPDATES,
                        "Keep me informed",
                        person.language,
                        "/en/me/keep-me-informed/",
                        confirmed=True,
                    )
                    for person in people
                ]
            )
    mailing = Mailing.objects.create(title="Benchmark", rate=MAX_RATE)
    body = BODY
    MailingVersion.objects.create(
        mailing=mailing, language="en", subject="News for {name}", body=body
    )
    MailingVersion.objects.create(
        mailing=mailing, language="ru", subject="Новости для {name}", body=body
    )
    return mailing


def plain(total: int) -> int:
    """Messages with their text written in advance, as letters are: the outbox's own cost."""
    from django.utils.html import linebreaks, urlize

    from picketline.mail.models import OutgoingMessage
    from picketline.mailings.sending import unsubscribe_headers

    text = BODY.replace("{name}", "Reader") + "-- \nYou receive this because you asked.\n"
    html = linebreaks(urlize(text, autoescape=True))
    headers = unsubscribe_headers("http://127.0.0.1/en/u/" + "x" * 90 + "/")
    for first in range(0, total, 2000):
        OutgoingMessage.objects.bulk_create(
            [
                OutgoingMessage.build(
                    to=[f"plain{i}@bench.example"],
                    subject="News for Reader",
                    text=text,
                    html=html,
                    headers=headers,
                    kind="plain",
                )
                for i in range(first, min(first + 2000, total))
            ]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
