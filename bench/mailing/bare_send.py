"""The baseline of ``bench/run-mailing``: Django alone sends M messages of a mailing's shape
(the same subject, text, HTML part and unsubscribe headers, built once in memory) to the SMTP
sink over one connection per 200, as the worker's batches do; no database, no composing, no
encryption, and Django's own SMTP backend. Prints messages per second.

    python bench/mailing/bare_send.py M
"""

from __future__ import annotations

import sys
import time

import django

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def main() -> int:
    django.setup()
    from django.core.mail import EmailMultiAlternatives, get_connection
    from django.utils.html import linebreaks, urlize

    total = int(sys.argv[1])
    body = (
        "Hello Reader,\n\nThe trial of the five union leaders starts on 3 May in Minsk. "
        "Read what happened so far and how to help: https://campaign.example/en/news/trial/\n\n"
    ) * 3 + "-- \nYou receive this because you asked to be kept informed about this campaign.\n"
    html = linebreaks(urlize(body, autoescape=True))
    url = "http://127.0.0.1/en/u/" + "x" * 90 + "/"
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    started = time.monotonic()
    sent = 0
    while sent < total:
        # Django's own backend, whatever EMAIL_URL names (the site's writes plain messages out
        # itself: mail.wire).
        connection = get_connection(DJANGO_SMTP, fail_silently=False)
        connection.open()
        batch = min(200, total - sent)
        for i in range(batch):
            email = EmailMultiAlternatives(
                subject="News for Reader",
                body=body,
                to=[f"reader{sent + i}@bench.example"],
                headers=dict(headers),
            )
            email.attach_alternative(html, "text/html")
            connection.send_messages([email])
        connection.close()
        sent += batch
    elapsed = time.monotonic() - started
    print(f"{sent} {elapsed:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
