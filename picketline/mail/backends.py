"""E-mail backends: SMTP for a site, the local mailbox for the demo."""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import smtp
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address

from picketline.mail import pipelining
from picketline.mail.wire import PLAIN_ADDRESS, written_out


def envelope_address(address: str, encoding: str) -> str:
    """An address as the SMTP envelope gives it (what Django's backend sends)."""
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend, with its settings and connection handling, except that a message
    of the plain shape (nearly all of ours) is written out by ``mail.wire``: the same bytes
    for a sixth of the CPU time, which is what bounds a worker's sending rate. A message of
    any other shape goes through Django's own ``send_messages``. A written message goes in one
    pipelined exchange when the server offers it (``mail.pipelining``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sending = threading.RLock()
        self.sender = ("", "")  # the last envelope sender: a batch mostly has one

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        with self.sending:
            new_connection = self.open()
            if not self.connection or new_connection is None:
                return 0  # it could not connect, and fails silently
            try:
                return sum(self.send_one(message) for message in email_messages)
            finally:
                if new_connection:
                    self.close()

    def send_one(self, message: EmailMessage) -> int:
        recipients = message.recipients()
        if not recipients:
            return 0  # as Django's backend: nothing is written, nothing checked
        data = written_out(message)
        if data is None:
            return super().send_messages([message])  # on the open connection, left open
        encoding = message.encoding or settings.DEFAULT_CHARSET
        if self.sender[0] != message.from_email:
            self.sender = (message.from_email, sanitize_address(message.from_email, encoding))
        envelope = [envelope_address(address, encoding) for address in recipients]
        try:
            pipelining.sendmail(self.connection, self.sender[1], envelope, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return 0
        return 1


class LocalMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from picketline.mail.models import MailboxMessage

        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    html = content
            MailboxMessage.objects.create(
                message_id=str(message.extra_headers.get("Message-ID", ""))[:200],
                from_email=message.from_email,
                to="\n".join(message.recipients()),
                subject=message.subject,
                body_text=message.body,
                body_html=html,
                raw=message.message().as_string(),
            )
        return len(email_messages)
