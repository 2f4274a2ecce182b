"""An outbox message as it goes over SMTP: its envelope, its bytes, and the exchange.

The worker spends most of its own time per message here, so this does what Django's SMTP
backend does (``EmailMessage.message().as_bytes()``, ``sanitize_address`` for the envelope,
``smtplib.SMTP.sendmail``) with the same result and less work; tests compare the bytes with
Django's, byte for byte.
"""

from __future__ import annotations

import functools
import random
import re
import smtplib
import sys
from collections.abc import Callable
from email.generator import BytesGenerator
from email.policy import Compat32
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME

if TYPE_CHECKING:
    from picketline.mail.models import OutgoingMessage


class _PlainHeadersAsTheyAre(Compat32):
    """Django's messages use the ``compat32`` policy, which runs every header through
    ``email.header.Header`` to encode and fold it: about 15 µs a header, most of the cost of
    writing a message out. A header of printable ASCII that fits on one line and does not end
    in a space comes out of that unchanged, so it is written as it is; any other header (to
    encode, to fold, or folded already) goes the standard way."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (
            isinstance(value, str)
            and len(name) + 2 + len(value) <= self.max_line_length
            and value.isascii()
            and value.isprintable()
            and not value.endswith(" ")
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SMTP_POLICY = _PlainHeadersAsTheyAre(linesep="\r\n")


def render(message: OutgoingMessage, to: list[str] | None = None) -> tuple[str, list[str], bytes]:
    """Sender, recipients (To and Cc) and bytes of the message as Django's SMTP backend takes
    them from ``message.to_email_message()`` (the bytes: ``.message().as_bytes(linesep=
    "\\r\\n")``). ``to``: the addressees to name when some of the stored ones are left out."""
    email = message.to_email_message()
    if to is not None:
        email.to = to
    data = _text_bytes(email)
    if data is None:
        buffer = BytesIO()
        BytesGenerator(buffer, mangle_from_=False, policy=SMTP_POLICY).flatten(email.message())
        data = buffer.getvalue()
    return email.from_email, email.recipients(), data


_NEWLINE = re.compile(r"\r\n|\r|\n")  # what the email generator takes for a line end
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))  # as the email generator draws its boundaries


def _text_bytes(email: EmailMessage) -> bytes | None:
    """Django's ``email.message()`` written out, for a message that is text only (a letter)
    or text with one HTML alternative (a confirmation): the same headers in the same order
    through the same functions, without building the MIME objects. None for anything else
    (attachments, other alternatives, lines Django would quote-print)."""
    encoding = email.encoding or settings.DEFAULT_CHARSET
    alternatives = getattr(email, "alternatives", None) or []
    if (
        encoding != "utf-8"
        or email.content_subtype != "plain"
        or email.attachments
        or len(alternatives) > 1
        or (alternatives and (alternatives[0][1] != "text/html" or not email.body))
    ):
        return None
    parts = [_text_part(email.body, "plain")]
    if alternatives:
        parts.append(_text_part(alternatives[0][0], "html"))
    if None in parts:
        return None
    if alternatives:
        boundary = _boundary(parts)
        headers = [
            SMTP_POLICY.fold_binary(
                "Content-Type", f'multipart/alternative; boundary="{boundary}"'
            ),
            b"MIME-Version: 1.0\r\n",
        ]
        delimiter = b"--" + boundary.encode("ascii")
        body = b"".join(
            [delimiter, b"\r\n", parts[0], b"\r\n", delimiter, b"\r\n", parts[1], b"\r\n"]
            + [delimiter, b"--\r\n"]
        )
    else:
        # A single part is the message: its headers open the message's.
        head, _sep, body = parts[0].partition(b"\r\n\r\n")
        headers = [head + b"\r\n"]

    extra = email.extra_headers
    headers.append(_header("Subject", email.subject))
    headers.append(_header("From", extra.get("From", email.from_email)))
    for name, values in (("To", email.to), ("Cc", email.cc), ("Reply-To", email.reply_to)):
        if name in extra:
            headers.append(_header(name, extra[name]))
        elif values:
            headers.append(_header(name, ", ".join(str(value) for value in values)))
    named = {name.lower() for name in extra}
    if "date" not in named:
        headers.append(_header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in named:
        headers.append(_header("Message-ID", make_msgid(domain=DNS_NAME)))
    for name, value in extra.items():
        if name.lower() not in {"from", "to", "cc", "reply-to"}:
            headers.append(_header(name, value))
    return b"".join(headers) + b"\r\n" + body


def _text_part(text: str, subtype: str) -> bytes | None:
    """A ``SafeMIMEText(text, subtype, "utf-8")`` written out (headers, blank line, body);
    None where Django would quote-print it (a line over 998 bytes)."""
    if any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in text.splitlines()
    ):
        return None
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        f"Content-Transfer-Encoding: {'7bit' if text.isascii() else '8bit'}\r\n\r\n"
    ).encode("ascii") + _NEWLINE.sub("\r\n", text).encode("utf-8", "surrogateescape")


def _boundary(parts: list[bytes]) -> str:
    """A boundary drawn as the email generator draws it, that no line of the parts starts with
    (the generator would add a counter to it instead; either way the boundary is unique)."""
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}" + "=="
        if not any(b"--" + boundary.encode("ascii") in part for part in parts):
            return boundary


def _header(name: str, value: Any) -> bytes:
    """A header line as Django sets it (``forbid_multi_line_headers``: encoded words for text
    that is not ASCII, addresses sanitised) and the email generator writes it (folded)."""
    if type(value) is str and name not in ("Date", "Message-ID"):
        return _remembered_header(name, value)
    return _written_header(name, value)


def _written_header(name: str, value: Any) -> bytes:
    return SMTP_POLICY.fold_binary(*forbid_multi_line_headers(name, value, "utf-8"))


# Encoding a header that is not ASCII costs the standard library about 1 ms (it measures the
# encoded line again after every character), and the subjects and targets repeat from one
# letter to the next: each distinct header (but the date and message id) is written once per
# process.
_remembered_header = functools.lru_cache(maxsize=1024)(_written_header)


@functools.lru_cache(maxsize=4096)
def envelope_address(address: str) -> str:
    """The address that goes into MAIL FROM or RCPT TO for ``address``, as with Django's SMTP
    backend (``sanitize_address``: an invalid address raises ``ValueError``, an international
    domain becomes punycode; then smtplib keeps the bare address). Cached: a worker sends to
    the same few targets again and again."""
    bare = parseaddr(sanitize_address(address, "utf-8"))[1]
    if not bare:
        raise ValueError("the address does not parse")
    return bare


def envelope_sender(from_email: str) -> str:
    """MAIL FROM for a From header. Letters carry each supporter's name in front of the one
    organisation address; only the address goes into the envelope, so only it is sanitised
    (and cached)."""
    found = getaddresses([from_email])
    if len(found) != 1 or found[0][1].count("@") != 1:
        raise ValueError("the sender address does not parse")
    return envelope_address(found[0][1])


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _nothing() -> None:
    pass


def send(
    smtp: smtplib.SMTP,
    from_email: str,
    recipients: list[str],
    data: bytes,
    *,
    while_mail_is_answered: Callable[[], None] = _nothing,
    while_data_is_answered: Callable[[], None] = _nothing,
) -> dict[str, tuple[int, bytes]]:
    """What Django's SMTP backend does with ``smtp.sendmail``: the same envelope, commands,
    replies and exceptions (refused recipients are named as given), and the refused ones
    returned when others took the message.

    One command at a time, each answered before the next (no PIPELINING needed), but our own
    work need not wait idle for an answer: ``while_mail_is_answered`` runs once MAIL FROM is
    sent, before its reply is read — the server has nothing of this message yet, so a crash
    there delivers nothing; if it raises, no data goes out. ``while_data_is_answered`` runs
    once the data is sent, before the server says whether it took it."""
    sender = envelope_sender(from_email)
    envelope = [envelope_address(recipient) for recipient in recipients]
    smtp.ehlo_or_helo_if_needed()
    size = f" size={len(data)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    smtp.putcmd("mail", f"FROM:<{sender}>{size}")
    while_mail_is_answered()
    code, reply = smtp.getreply()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient, address in zip(recipients, envelope, strict=True):
        smtp.putcmd("rcpt", f"TO:<{address}>")
        code, reply = smtp.getreply()
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _abandon(smtp, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    quoted = _LEADING_DOT.sub(b"..", data)
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    smtp.send(quoted + b".\r\n")
    while_data_is_answered()
    code, reply = smtp.getreply()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _abandon(smtp: smtplib.SMTP, code: int) -> None:
    """What sendmail does when the server refuses: hang up on 421, else reset the session."""
    if code == 421:
        smtp.close()
        return
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass
