"""Sent mail is purged after a configurable time (default 30 days), and every message is found
by any address it holds, in any case, without decrypting the outbox."""

from datetime import timedelta

import pytest
from django.utils import timezone

from picketline.jobs import schedule
from picketline.mail import outbox
from picketline.mail.models import MailboxMessage, MessageAddress, OutgoingMessage

pytestmark = pytest.mark.django_db


def message(status: str, days_ago: int, to: str = "ana@example.org") -> OutgoingMessage:
    moment = timezone.now() - timedelta(days=days_ago)
    queued = OutgoingMessage.queue(to=[to], subject="Hello", text="Dear Ana", kind="test")
    OutgoingMessage.objects.filter(pk=queued.pk).update(
        status=status,
        created_at=moment,
        sent_at=moment if status == OutgoingMessage.Status.SENT else None,
    )
    return queued


def run_the_job() -> None:
    schedule.load_jobs()["picketline.jobs.jobs.purge_sent_mail"].func()


def test_sent_and_failed_mail_goes_after_thirty_days_and_the_rest_stays():
    old_sent = message(OutgoingMessage.Status.SENT, 31)
    old_failed = message(OutgoingMessage.Status.FAILED, 31)
    recent_sent = message(OutgoingMessage.Status.SENT, 29)
    waiting = message(OutgoingMessage.Status.QUEUED, 40)
    held = message(OutgoingMessage.Status.HELD, 40)
    run_the_job()
    left = set(OutgoingMessage.objects.values_list("pk", flat=True))
    assert left == {recent_sent.pk, waiting.pk, held.pk}
    assert old_sent.pk not in left and old_failed.pk not in left


def test_the_keep_time_is_a_setting(settings):
    settings.SENT_MAIL_KEEP_DAYS = 2
    message(OutgoingMessage.Status.SENT, 3)
    kept = message(OutgoingMessage.Status.SENT, 1)
    run_the_job()
    assert list(OutgoingMessage.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_local_mailbox_copy_goes_with_the_message(settings):
    settings.EMAIL_BACKEND = "picketline.mail.backends.LocalMailboxBackend"
    OutgoingMessage.queue(to=["ana@example.org"], subject="Hello", text="Dear Ana", kind="test")
    assert outbox.send_due() == 1
    assert MailboxMessage.objects.count() == 1
    month_ago = timezone.now() - timedelta(days=31)
    OutgoingMessage.objects.update(sent_at=month_ago)
    MailboxMessage.objects.update(received_at=month_ago)
    run_the_job()
    assert not OutgoingMessage.objects.exists()
    assert not MailboxMessage.objects.exists()


def test_a_message_is_found_by_any_address_it_holds_in_any_case():
    letter = OutgoingMessage.queue(
        to=["Embassy@Example.org"],
        cc=["press@example.org"],
        reply_to=["Ana.Writer@Example.net"],
        from_email="Ana Writer <campaign@example.org>",
        subject="Free them",
        text="I am Ana Writer",
        kind="letter",
    )
    other = OutgoingMessage.queue(to=["bob@example.org"], subject="Hi", text="Bob", kind="test")
    for address in ("ana.writer@example.net", "embassy@example.org", "PRESS@example.org"):
        assert list(OutgoingMessage.objects.involving([address])) == [letter]
    assert set(OutgoingMessage.objects.involving(["bob@example.org", "press@example.org"])) == {
        letter,
        other,
    }
    assert not OutgoingMessage.objects.involving(["nobody@example.org"]).exists()
    # the index holds no address in the clear
    stored = MessageAddress.objects.filter(message=letter).values_list("address_index", flat=True)
    assert len(stored) == 4  # From, Reply-To, To and Cc
    assert not any("example" in index for index in stored)


def test_the_index_follows_a_changed_address():
    queued = OutgoingMessage.queue(to=["old@example.org"], subject="S", text="T", kind="test")
    queued.to = "new@example.org"
    queued.save(update_fields=["to"])
    assert not OutgoingMessage.objects.involving(["old@example.org"]).exists()
    assert OutgoingMessage.objects.involving(["new@example.org"]).get() == queued
