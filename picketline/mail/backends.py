"""E-mail backend for the demo: messages land in the local mailbox, read in the admin."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


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
