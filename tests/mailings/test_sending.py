"""A mailing through the outbox: one message per person in their language (or the fallback),
written as it goes, at the mailing's rate, with the unsubscribe headers of RFC 8058, no
tracking and no rewritten links; withdrawn or erased people get nothing; the report counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from picketline.mailings import sending
from picketline.mailings.models import Mailing
from tests.mailings.helpers import mailing, supporter

pytestmark = pytest.mark.django_db


def start(made: Mailing, started: timedelta = timedelta(hours=1), **kwargs) -> int:
    """Schedule, start (``started`` ago, so that its messages are due) and expand."""
    assert sending.schedule(made)
    sending.start_due()
    Mailing.objects.filter(pk=made.pk).update(started_at=timezone.now() - started)
    return sending.expand(made.pk, **kwargs)


def send_everything() -> None:
    while outbox.send_due(500):
        pass


def later(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def test_each_reader_gets_their_language_or_the_fallback():
    supporter("ru@example.org", name="Алеся", language="ru")
    supporter("de@example.org", name="Jonas", language="de")
    made = mailing(
        {
            "en": ("News for {name}", "Hello {name}, the trial starts on 3 May."),
            "ru": ("Новости для {name}", "Здравствуйте, {name}! Суд начнётся 3 мая."),
        },
        fallback_language="en",
    )
    start(made)
    send_everything()

    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["ru@example.org"].subject == "Новости для Алеся"
    assert "Здравствуйте, Алеся!" in by_address["ru@example.org"].body
    assert by_address["de@example.org"].subject == "News for Jonas"
    assert "Hello Jonas, the trial" in by_address["de@example.org"].body
    # The footer is in the reader's own language, whichever version they got.
    assert "/de/u/" in by_address["de@example.org"].body


def test_the_outbox_keeps_no_copy_of_the_text():
    supporter("ana@example.org", name="Ana")
    made = mailing()
    start(made)

    row = OutgoingMessage.objects.get(group=made.group)
    assert (row.subject, row.body_text, row.body_html, row.headers) == ("", "", "", "")
    assert row.compose_with == sending.MAILING_COMPOSER
    send_everything()
    row.refresh_from_db()
    assert row.status == OutgoingMessage.Status.SENT
    assert (row.subject, row.body_text) == ("", "")


def test_every_message_carries_the_one_click_unsubscribe_headers():
    supporter("ana@example.org", name="Ana")
    start(mailing())
    send_everything()

    message = mail.outbox[0].message()
    link = message["List-Unsubscribe"]
    assert link.startswith("<http://testserver/en/u/") and link.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The footer's link is the same address.
    assert link[1:-1] in mail.outbox[0].body
    # The token names no address.
    assert "ana" not in link.lower() and "example" not in link


def test_no_tracking_pixel_and_links_go_out_as_written():
    supporter("ana@example.org", name="Ana")
    start(
        mailing(
            {
                "en": (
                    "Trial",
                    "Read more: https://news.example.net/trial?id=3&lang=en\n\nThank you.",
                )
            }
        )
    )
    send_everything()

    sent = mail.outbox[0]
    html = sent.alternatives[0][0]
    assert "<img" not in html.lower()
    assert 'href="https://news.example.net/trial?id=3&amp;lang=en"' in html
    assert "https://news.example.net/trial?id=3&lang=en" in sent.body
    hosts = {"news.example.net", "testserver"}
    for href in re.findall(r'href="([^"]+)"', html):
        assert href.split("/")[2] in hosts


def test_names_are_escaped_in_the_html():
    supporter("ana@example.org", name="<b>Ana</b>")
    start(mailing())
    send_everything()

    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html and "<b>Ana" not in html


def test_no_line_break_in_a_subject_or_name_reaches_the_headers():
    supporter("ana@example.org", name="Ana\r\nBcc: evil@example.net")
    made = mailing({"en": ("News\r\nBcc: evil@example.net for {name}", "Hello {name}.")})
    start(made)
    send_everything()

    (sent,) = mail.outbox
    assert sent.to == ["ana@example.org"] and sent.bcc == [] and sent.cc == []
    headers = sent.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert sent.subject == "News Bcc: evil@example.net for Ana Bcc: evil@example.net"


def test_someone_who_withdraws_after_the_rows_are_written_gets_nothing():
    stays = supporter("stays@example.org")
    leaves = supporter("leaves@example.org")
    made = mailing()
    assert start(made) == 2

    leaves.consents.get().withdraw()
    send_everything()

    assert [m.to for m in mail.outbox] == [[stays.email]]
    assert OutgoingMessage.objects.filter(group=made.group).count() == 1
    made.refresh_from_db()
    assert (sending.report(made).sent, sending.report(made).dropped) == (1, 1)


def test_an_address_that_starts_bouncing_after_its_row_was_written_is_not_tried():
    from picketline.mail.models import AddressHealth

    supporter("stays@example.org")
    supporter("bounces@example.org")
    made = mailing()
    assert start(made) == 2
    for _ in range(3):
        AddressHealth.record_hard_failure("bounces@example.org")

    send_everything()

    assert [m.to for m in mail.outbox] == [["stays@example.org"]]


def test_an_erased_person_gets_nothing():
    supporter("stays@example.org")
    erased = supporter("erased@example.org")
    made = mailing()
    start(made)
    erased.erase()
    # Their row (which holds their address) goes with the erasure, not only once its turn comes.
    assert OutgoingMessage.objects.filter(group=made.group).count() == 1
    assert not OutgoingMessage.objects.involving(["erased@example.org"]).exists()
    send_everything()

    assert [m.to for m in mail.outbox] == [["stays@example.org"]]


def test_messages_are_spaced_at_the_mailings_rate_and_written_a_little_ahead():
    for i in range(10):
        supporter(f"p{i}@example.org")
    made = mailing(rate=2)  # two a minute

    written = start(made, started=timedelta(0), ahead=timedelta(minutes=2))

    # Rows reach only a little past two minutes ahead: the rest wait for the next rounds.
    times = list(
        OutgoingMessage.objects.filter(group=made.group)
        .order_by("send_after")
        .values_list("send_after", flat=True)
    )
    assert written == len(times) < 10
    gaps = {round((b - a).total_seconds()) for a, b in zip(times, times[1:], strict=False)}
    assert gaps == {30}
    made.refresh_from_db()
    assert made.expanded_at is None
    assert outbox.send_due(500) == 1  # only the first is due now


def test_expanding_resumes_after_its_cursor_and_writes_each_person_once():
    people = [supporter(f"p{i}@example.org") for i in range(5)]
    made = mailing(rate=60_000)
    sending.schedule(made)
    sending.start_due()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("picketline.mailings.audience.BATCH", 2)
        sending.expand(made.pk, budget_seconds=0.0001)  # one batch, then out of time
        sending.expand(made.pk)
        sending.expand(made.pk)

    refs = sorted(
        OutgoingMessage.objects.filter(group=made.group).values_list("compose_ref", flat=True)
    )
    assert refs == sorted(f"{made.pk}:{p.pk}" for p in people)
    made.refresh_from_db()
    assert made.queued == 5 and made.expanded_at is not None


def test_a_scheduled_mailing_waits_for_its_time():
    supporter("ana@example.org")
    made = mailing()
    sending.schedule(made, later(60))

    sending.expand_sending()
    assert not OutgoingMessage.objects.filter(group=made.group).exists()
    assert sending.start_due(later(61)) == 1
    made.refresh_from_db()
    assert made.state == Mailing.State.SENDING


def test_the_report_counts_sent_failed_and_unsubscribed():
    reader = supporter("ok@example.org")
    refused = supporter("refused@example.org")
    made = mailing()
    start(made)
    # The server refuses one address for good.
    OutgoingMessage.objects.filter(group=made.group, compose_ref=f"{made.pk}:{refused.pk}").update(
        status=OutgoingMessage.Status.FAILED
    )
    send_everything()
    sending.resolve_unsubscribe_token(sending.unsubscribe_token(made.pk, reader)).withdraw()

    live = sending.report(Mailing.objects.get(pk=made.pk))
    assert (live.queued, live.sent, live.failed, live.unsubscribed, live.waiting) == (2, 1, 1, 1, 0)
    sending.expand_sending()  # notices the audience is done
    assert sending.finish() == 1
    made.refresh_from_db()
    assert made.state == Mailing.State.SENT
    # The outbox forgets its rows after a while; the report stays.
    OutgoingMessage.objects.filter(group=made.group).delete()
    final = sending.report(made)
    assert (final.sent, final.failed, final.unsubscribed) == (1, 1, 1)


def test_cancelling_a_sending_mailing_deletes_what_has_not_gone():
    for i in range(3):
        supporter(f"p{i}@example.org")
    made = mailing(rate=1)
    start(made, started=timedelta(0), ahead=timedelta(minutes=5))
    assert outbox.send_due(500) == 1

    assert sending.cancel(made) == Mailing.State.CANCELLED
    assert list(
        OutgoingMessage.objects.filter(group=made.group).values_list("status", flat=True)
    ) == [OutgoingMessage.Status.SENT]
    assert sending.finish() == 1
    made.refresh_from_db()
    assert (made.state, made.sent) == (Mailing.State.CANCELLED, 1)


def test_cancelling_a_scheduled_mailing_makes_it_a_draft_again():
    made = mailing()
    sending.schedule(made, later(10))
    assert sending.cancel(made) == Mailing.State.DRAFT
    made.refresh_from_db()
    assert (made.state, made.scheduled_at) == (Mailing.State.DRAFT, None)


def test_a_test_goes_to_the_organisers_own_address_only():
    supporter("ana@example.org")
    made = mailing()
    sending.send_test(made, made.versions.get(), "organiser@example.org", "Olga")
    send_everything()

    assert [m.to for m in mail.outbox] == [["organiser@example.org"]]
    assert mail.outbox[0].subject == "[Test] News for Olga"
    assert "/en/u/test/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_the_workers_periodic_job_starts_sends_and_closes_a_mailing():
    from picketline.jobs.schedule import run_due

    supporter("ana@example.org")
    made = mailing()
    sending.schedule(made, timezone.now() - timedelta(seconds=1))

    assert "picketline.mailings.jobs.send_mailings" in run_due()
    send_everything()
    run_due(timezone.now() + timedelta(seconds=10))  # the job's next turn

    made.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert (made.state, made.sent) == (Mailing.State.SENT, 1)


def test_the_privacy_page_and_the_download_name_each_mailing_received(client):
    from django.urls import reverse

    from tests.supporters.test_withdrawing_a_consent_stops_what_rests_on_it import (
        open_privacy_page,
    )

    ana = supporter("ana@example.org", name="Ana", language="de")
    made = mailing(
        {"en": ("News for {name}", "Hello."), "de": ("Neuigkeiten für {name}", "Hallo.")}
    )
    start(made)
    send_everything()
    assert [m.subject for m in mail.outbox] == ["Neuigkeiten für Ana"]

    open_privacy_page(client, ana)
    page = client.get(reverse("supporters:mine")).content.decode()
    download = client.get(reverse("supporters:export")).json()

    assert "Neuigkeiten für Ana" in page
    assert [(m["kind"], m["subject"], m["status"]) for m in download["messages"]] == [
        ("mailing", "Neuigkeiten für Ana", "sent")
    ]
