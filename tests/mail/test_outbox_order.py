"""What bounds duplicates: a message's "sent" mark is committed before the next message's data
reaches the server."""

import asyncio
import time

import pytest
from django.db import connection

from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.fixtures.smtp import Inbox


def _not_marked_sent(message_ids: list[str]) -> list[str]:
    from django.db import connection as thread_connection

    try:
        return sorted(
            OutgoingMessage.objects.filter(message_id__in=message_ids)
            .exclude(status=OutgoingMessage.Status.SENT)
            .values_list("message_id", flat=True)
        )
    finally:
        thread_connection.close()


class CheckingInbox(Inbox):
    """Looks in the database, as each message's data arrives, for earlier messages whose
    "sent" mark is not committed yet."""

    def __init__(self) -> None:
        super().__init__()
        self.unmarked: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            earlier = [message["Message-ID"] for message in self.messages]
        if earlier:
            self.unmarked += await asyncio.to_thread(_not_marked_sent, earlier)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def checking_server(settings):
    from aiosmtpd.controller import Controller

    from tests.fixtures.smtp import _free_port

    inbox = CheckingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "picketline.mail.backends.SMTPBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_sent_mark_is_committed_before_the_next_message_reaches_the_server(
    checking_server, monkeypatch
):
    assert connection.vendor == "postgresql"
    # A slow database: a mark written after the next message's data would be seen missing.
    mark_sent = outbox.mark_sent

    def slow_mark_sent(message):
        time.sleep(0.05)
        return mark_sent(message)

    monkeypatch.setattr(outbox, "mark_sent", slow_mark_sent)
    total = 20
    for n in range(total):
        OutgoingMessage.queue(
            to=[f"t{n}@example.org"],
            subject=f"Letter {n}",
            text="Dear minister",
            kind="t",
            message_id=f"<order{n}@test>",
        )
    # A message that cannot go (an address Django refuses) in between changes nothing.
    OutgoingMessage.objects.filter(message_id="<order7@test>").update(
        to="bad@example.org@example.net"
    )
    assert outbox.send_due(limit=100) == total - 1
    assert len(checking_server.messages) == total - 1
    assert checking_server.unmarked == []
