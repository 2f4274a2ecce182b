"""The outbox under stress: lost claims, bouncing addresses, several workers, kill -9."""

import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from picketline.mail import outbox
from picketline.mail.models import BOUNCE_LIMIT, AddressHealth, OutgoingMessage
from tests.fixtures.concurrency import process_env

ROOT = Path(__file__).resolve().parents[2]


def queue_one(**kwargs):
    defaults = dict(to=["minister@example.org"], subject="Letter", text="Dear minister", kind="t")
    return OutgoingMessage.queue(**{**defaults, **kwargs})


class Refusing:
    def __init__(self, exc):
        self.exc = exc

    def send_messages(self, messages):
        raise self.exc


class Accepting:
    def __init__(self):
        self.sent = []

    def send_messages(self, messages):
        self.sent.extend(messages)
        return len(messages)


def refused(address, code=550):
    return smtplib.SMTPRecipientsRefused({address: (code, b"no such user")})


@pytest.mark.django_db
def test_it_marks_an_address_bouncing_after_repeated_hard_failures():
    for _ in range(BOUNCE_LIMIT):
        message = queue_one()
        [claimed] = outbox.claim_batch()
        outbox.deliver(claimed, Refusing(refused("minister@example.org")))
        message.refresh_from_db()
        assert message.status == OutgoingMessage.Status.FAILED
    assert AddressHealth.objects.bouncing(["minister@example.org"]) == {"minister@example.org"}

    # A bouncing address is not tried again: the message fails without an SMTP round trip.
    later = queue_one()
    connection_ = Accepting()
    [claimed] = outbox.claim_batch()
    assert outbox.deliver(claimed, connection_) is None
    assert connection_.sent == []
    later.refresh_from_db()
    assert later.last_error == "every recipient is bouncing"


@pytest.mark.django_db
def test_a_message_sent_to_the_others_does_not_clear_a_bouncing_mark(smtp_server):
    for _ in range(BOUNCE_LIMIT):
        AddressHealth.record_hard_failure("gone@example.org")
    queue_one(to=["minister@example.org", "gone@example.org"])
    assert outbox.send_due() == 1
    assert [m["To"] for m in smtp_server.messages] == ["minister@example.org"]
    assert AddressHealth.objects.bouncing(["gone@example.org"]) == {"gone@example.org"}


@pytest.mark.django_db
def test_a_temporary_refusal_does_not_count_towards_bouncing():
    for _ in range(BOUNCE_LIMIT + 1):
        queue_one()
        [claimed] = outbox.claim_batch()
        outbox.deliver(claimed, Refusing(refused("minister@example.org", code=450)))
    assert AddressHealth.objects.bouncing(["minister@example.org"]) == set()
    assert OutgoingMessage.objects.filter(status=OutgoingMessage.Status.RETRY).count() == 4


@pytest.mark.django_db
def test_a_delivery_clears_the_failure_count(smtp_server):
    AddressHealth.record_hard_failure("minister@example.org")
    AddressHealth.record_hard_failure("minister@example.org")
    queue_one()
    assert outbox.send_due() == 1
    health = AddressHealth.objects.for_addresses(["minister@example.org"]).get()
    assert health.hard_failures == 0
    assert health.last_delivered_at is not None


@pytest.mark.django_db
def test_it_keeps_no_plaintext_address_in_the_health_table():
    AddressHealth.record_hard_failure("minister@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM mail_addresshealth")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "minister" not in row


@pytest.mark.django_db
def test_a_worker_that_lost_its_claim_cannot_overwrite_the_outcome():
    message = queue_one()
    [slow] = outbox.claim_batch()
    # The slow worker's lease runs out; another worker takes the message and sends it.
    outbox.release_stale_claims(timezone.now() + timedelta(hours=1))
    [fast] = outbox.claim_batch(now=timezone.now() + timedelta(hours=1))
    assert outbox.deliver(fast, Accepting()) == ["minister@example.org"]
    outbox.deliver(slow, Refusing(smtplib.SMTPResponseException(451, b"later")))
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT


@pytest.mark.django_db
def test_a_message_sent_on_its_second_attempt_is_recorded_sent_and_no_longer_claimed():
    message = queue_one()
    [first] = outbox.claim_batch()
    outbox.deliver(first, Refusing(smtplib.SMTPResponseException(451, b"later")))
    [second] = outbox.claim_batch(now=timezone.now() + timedelta(hours=1))
    before = timezone.now()
    assert outbox.deliver(second, Accepting()) == ["minister@example.org"]
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.claim_token is None
    assert message.sent_at >= before
    # Nothing claims it any more: a later round sends nothing.
    assert outbox.claim_batch(now=timezone.now() + timedelta(days=1)) == []


@pytest.mark.django_db
def test_a_sent_mark_after_the_claim_was_lost_changes_nothing():
    message = queue_one()
    [slow] = outbox.claim_batch()
    outbox.release_stale_claims(timezone.now() + timedelta(hours=1))
    assert outbox.mark_sent(slow) is False
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.RETRY
    assert message.sent_at is None
    assert message.attempts == 0


@pytest.mark.django_db
def test_a_live_worker_renews_its_claim():
    queue_one()
    [claimed] = outbox.claim_batch()
    OutgoingMessage.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert outbox.renew_claim(claimed.claim_token) == 1
    assert outbox.release_stale_claims() == 0


@pytest.mark.django_db
def test_holding_a_group_stops_it_and_releasing_resumes_it(smtp_server):
    for n in range(3):
        queue_one(group="letters:7", to=[f"m{n}@example.org"])
    queue_one(group="letters:8", to=["other@example.org"])
    assert outbox.hold_group("letters:7") == 3
    assert outbox.send_due() == 1
    assert outbox.release_group("letters:7") == 3
    assert outbox.send_due() == 3
    assert len(smtp_server.messages) == 4


def _message_ids(inbox):
    with inbox.lock:
        return [m["Message-ID"] for m in inbox.messages]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_drain_one_outbox_and_every_message_arrives_once(smtp_server):
    assert connection.vendor == "postgresql"
    total = 300
    OutgoingMessage.objects.bulk_create(
        [
            OutgoingMessage(
                to=f"t{n}@example.org",
                subject=f"Letter {n}",
                body_text="Dear minister",
                from_email="campaign@example.org",
                kind="t",
                message_id=f"<m{n}@test>",
            )
            for n in range(total)
        ]
    )
    errors = []

    def work():
        try:
            while outbox.send_due(limit=20):
                pass
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    ids = _message_ids(smtp_server)
    assert len(ids) == total
    assert sorted(ids) == sorted(f"<m{n}@test>" for n in range(total))
    assert OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT).count() == total


def _worker_env(smtp_port: int, lease_seconds: int) -> dict[str, str]:
    return process_env(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        PICKETLINE_OUTBOX_LEASE_SECONDS=str(lease_seconds),
    )


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_loses_nothing(slow_smtp_server):
    inbox, port = slow_smtp_server
    total = 120
    OutgoingMessage.objects.bulk_create(
        [
            OutgoingMessage(
                to=f"t{n}@example.org",
                subject=f"Letter {n}",
                body_text="Dear minister",
                from_email="campaign@example.org",
                kind="t",
                message_id=f"<k{n}@test>",
            )
            for n in range(total)
        ]
    )
    command = [sys.executable, "-m", "picketline.cli", "worker"]
    first = subprocess.Popen(command, env=_worker_env(port, 2), cwd=ROOT)
    try:
        assert _wait_for(lambda: len(_message_ids(inbox)) >= 15, 60), "worker sent nothing"
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    at_kill = len(_message_ids(inbox))
    assert at_kill < total, "the worker finished before it could be killed"

    second = subprocess.Popen(command, env=_worker_env(port, 2), cwd=ROOT)
    try:
        assert _wait_for(lambda: len(set(_message_ids(inbox))) >= total, 120)
    finally:
        second.terminate()
        second.wait(timeout=30)
    ids = _message_ids(inbox)
    assert set(ids) == {f"<k{n}@test>" for n in range(total)}
    # Only the message in flight at the kill may have gone twice.
    assert len(ids) - total <= 1
    assert OutgoingMessage.objects.exclude(status=OutgoingMessage.Status.SENT).count() == 0


@pytest.fixture
def slow_smtp_server():
    """An SMTP server that takes a little time per message, so a kill lands mid-batch."""
    import asyncio

    from aiosmtpd.controller import Controller

    from tests.fixtures.smtp import Inbox, _free_port

    class SlowInbox(Inbox):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            await asyncio.sleep(0.03)
            return await super().handle_DATA(server, session, envelope)

    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_claim_reads_the_oldest_waiting_messages_from_the_partial_index_without_sorting():
    """An outbox fills and drains faster than the planner's row counts follow. Here a burst of
    3,000 letters is paused and resumed (every row rewritten) before PostgreSQL ever counted
    them: left to itself, the planner would fetch and sort every waiting message to claim
    fifty. The claim still walks "mail_outgoing_due" in order. Checked on the claim's own
    SELECT, in its own transaction."""
    assert connection.vendor == "postgresql"
    now = timezone.now()
    OutgoingMessage.objects.bulk_create(
        [
            OutgoingMessage.build(
                to=[f"m{n}@example.org"], subject="Letter", text="Dear minister", kind="t",
                group="letters:burst",
            )
            for n in range(3000)
        ]
    )  # fmt: skip
    assert outbox.hold_group("letters:burst") == 3000
    assert outbox.release_group("letters:burst") == 3000
    OutgoingMessage.objects.filter(pk__in=OutgoingMessage.objects.order_by("pk")[:3]).update(
        status=OutgoingMessage.Status.SENT
    )
    plans = []

    def explain_the_claim(execute, sql, params, many, context):
        if "SKIP LOCKED" in sql and not sql.startswith("EXPLAIN"):
            with context["connection"].cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_the_claim):
        batch = outbox.claim_batch(limit=50, now=now + timedelta(seconds=1))

    assert len(batch) == 50
    expected = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENDING)
    assert [m.pk for m in batch] == list(
        expected.order_by("send_after", "id").values_list("pk", flat=True)
    )
    [plan] = plans
    assert "Index Scan using mail_outgoing_due" in plan, plan
    assert "Sort" not in plan, plan
    # The SET LOCAL ended with the claim's transaction: other queries plan as usual.
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_a_message_whose_look_up_fails_waits_alone_and_the_rest_of_the_outbox_goes(
    smtp_server, monkeypatch
):
    """A composer reads what a batch needs at once. When that fails because of one message
    (data no release foresaw, a row that will not decrypt), it failed every round the same
    way: no mail at all went out, for as long as that message waited. Now the others go and
    that one waits for its retry, like a message that will not compose."""
    from picketline.mail import composers

    def look_up(messages):
        if any(message.compose_ref == "unreadable" for message in messages):
            raise KeyError("unreadable")
        for message in messages:
            message.looked_up = message.compose_ref

    def compose(message):
        if not hasattr(message, "looked_up"):
            look_up([message])
        message.subject, message.body_text = f"About {message.looked_up}", "Hello"
        return True

    monkeypatch.setitem(composers._COMPOSERS, "looked-up", composers.Composer(compose, look_up))
    queue_one(compose_with="looked-up", compose_ref="unreadable", subject="", text="")
    queue_one(compose_with="looked-up", compose_ref="fine", subject="", text="")
    queue_one(to=["embassy@example.org"])

    assert outbox.send_due() == 2
    assert sorted(str(m["Subject"]) for m in smtp_server.messages) == ["About fine", "Letter"]
    waiting = OutgoingMessage.objects.get(compose_ref="unreadable")
    assert waiting.status == OutgoingMessage.Status.RETRY
    assert waiting.attempts == 1 and waiting.last_error == "KeyError"
