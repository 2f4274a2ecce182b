"""Fill the benchmark database: N supporters, each with a confirmed "keep me informed"
consent (languages en, ru, de in turn), and one mailing scheduled now with a version in
English (the fallback) and Russian, at the highest rate. Run with the benchmark's settings:

    python bench/mailing/populate.py N
"""

from __future__ import annotations

import sys
import time

import django


def main() -> int:
    django.setup()
    from django.db import transaction

    from picketline.mailings.models import MAX_RATE, Mailing, MailingVersion
    from picketline.supporters.models import Consent, Supporter

    total = int(sys.argv[1])
    started = time.monotonic()
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
    body = (
        "Hello {name},\n\nThe trial of the five union leaders starts on 3 May in Minsk. "
        "Read what happened so far and how to help: https://campaign.example/en/news/trial/\n\n"
    ) * 3
    MailingVersion.objects.create(
        mailing=mailing, language="en", subject="News for {name}", body=body
    )
    MailingVersion.objects.create(
        mailing=mailing, language="ru", subject="Новости для {name}", body=body
    )
    from picketline.mailings import sending

    sending.schedule(mailing)
    print(f"{total} supporters in {time.monotonic() - started:.1f} s; mailing #{mailing.pk}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
