import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from picketline.mail import outbox
from picketline.mail.models import Attachment, OutgoingMessage

pytestmark = pytest.mark.django_db


def queue_one(**kwargs):
    defaults = dict(to=["ana@example.org"], subject="Confirm", text="Hello Ana", kind="test")
    return OutgoingMessage.queue(**{**defaults, **kwargs})


def test_it_sends_queued_mail_once():
    queue_one(attachments=[Attachment("a.ics", b"BEGIN:VCALENDAR", "text/calendar")])
    assert outbox.send_due() == 1
    assert outbox.send_due() == 0
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ana@example.org"]
    assert sent.attachments[0][0] == "a.ics"
    assert OutgoingMessage.objects.get().status == OutgoingMessage.Status.SENT


def test_it_keeps_no_plaintext_address_in_the_table():
    queue_one()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM mail_outgoingmessage")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "ana@example.org" not in row
    assert "Hello Ana" not in row


def test_it_does_not_send_before_its_time_or_while_held():
    queue_one(send_after=timezone.now() + timedelta(hours=1))
    queue_one(group="letters:1", held=True)
    assert outbox.send_due() == 0
    assert outbox.release_group("letters:1") == 1
    assert outbox.send_due() == 1


def test_a_claimed_message_is_not_claimed_twice():
    queue_one()
    first = outbox.claim_batch()
    second = outbox.claim_batch()
    assert len(first) == 1
    assert second == []


def test_a_dead_workers_claim_is_released_after_the_lease():
    message = queue_one()
    outbox.claim_batch()
    later = timezone.now() + timedelta(minutes=11)
    assert outbox.release_stale_claims(later) == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.RETRY


class RefusingConnection:
    def __init__(self, exc):
        self.exc = exc

    def send_messages(self, messages):
        raise self.exc


def test_it_retries_temporary_failures_and_stops_on_permanent_ones():
    temporary, permanent = queue_one(), queue_one()
    [claimed_t] = [m for m in outbox.claim_batch() if m.pk == temporary.pk]
    outbox.deliver(claimed_t, RefusingConnection(smtplib.SMTPResponseException(451, b"later")))
    temporary.refresh_from_db()
    assert temporary.status == OutgoingMessage.Status.RETRY
    assert temporary.send_after > timezone.now()

    permanent.refresh_from_db()
    outbox.deliver(permanent, RefusingConnection(smtplib.SMTPResponseException(550, b"no")))
    permanent.refresh_from_db()
    assert permanent.status == OutgoingMessage.Status.FAILED
    assert permanent.last_error == "SMTPResponseException 550"


def test_it_delivers_over_real_smtp(smtp_server):
    queue_one(to=["bob@example.org"], reply_to=["ana@example.org"])
    assert outbox.send_due() == 1
    [received] = smtp_server.to("bob@example.org")
    assert received["Subject"] == "Confirm"
    assert received["Reply-To"] == "ana@example.org"
    assert received["Message-ID"] == OutgoingMessage.objects.get().message_id
