"""A message as it goes over SMTP, written out without the ``email`` package's generator.

Nearly every message the outbox sends has one shape: a text part in UTF-8, perhaps an HTML
alternative, no attachment. For that shape ``written_out`` writes the bytes Django would (the
same headers, in the same order, with the same encoding of names and subjects, through
Django's own header check; 8bit bodies, or quoted-printable where a line is too long for
SMTP), in about a sixth of the CPU time: the generic generator folds every header through
``email.header.Header`` and walks a tree of MIME objects for each message. Anything else (attachments, another charset, a header that changes
the MIME structure) returns None and goes through ``EmailMessage.message()`` as before.
"""

from __future__ import annotations

import re
import secrets
from email.charset import QP, Charset
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import forbid_multi_line_headers
from django.core.mail.utils import DNS_NAME

# What SMTP allows on a line, without its line end (RFC 5322, 2.1.1); Django's limit too.
LONGEST_LINE = 998
# UTF-8 in quoted-printable, as Django writes a text with longer lines.
QUOTED_PRINTABLE = Charset("utf-8")
QUOTED_PRINTABLE.body_encoding = QP
FOLD_AT = 78  # the length the email package folds longer header lines to
LINE_END = re.compile(r"\r\n|\r|\n")
# Headers that would change the MIME structure written here: such a message goes the long way.
STRUCTURAL = {"content-type", "mime-version", "content-transfer-encoding"}
HANDLED = {"from", "to", "cc", "reply-to"}  # as in EmailMessage.message(): set from the fields
# An address written as nothing but itself: ASCII, a dot-atom before the @ and a host name
# after it. Parsing such a line (Django's sanitize_address, email.utils.getaddresses) gives the
# line back unchanged, so it can skip the parse.
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"  # of a host name, at most 63
PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    rf"@{LABEL}(?:\.{LABEL})*"
)


def written_out(email: EmailMessage) -> bytes | None:
    """The message as sent over SMTP (CRLF line ends), or None when it is not of the plain
    shape (Django's ``message().as_bytes()`` writes it then). Raises Django's
    ``BadHeaderError`` for a line break in a header, as ``message()`` does."""
    # Exactly "utf-8": Django writes any other spelling in base64.
    if email.attachments or (email.encoding or settings.DEFAULT_CHARSET) != "utf-8":
        return None
    alternatives = getattr(email, "alternatives", [])
    if alternatives and getattr(email, "alternative_subtype", "") != "alternative":
        return None
    if (
        len(alternatives) > 1
        or (alternatives and not email.body)
        or any(
            mimetype != "text/html" or not isinstance(content, str)
            for content, mimetype in alternatives
        )
    ):
        return None
    if any(name.lower() in STRUCTURAL for name in email.extra_headers):
        return None
    parts = [_text_part(str(email.body), email.content_subtype)]
    parts += [_text_part(str(content), "html") for content, _ in alternatives]
    lines = [] if alternatives else [parts[0][0]]
    boundary = ""
    if alternatives:
        boundary = _boundary(parts)
        lines.append(_fold("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
        lines.append("MIME-Version: 1.0")
    else:
        lines.extend(parts[0][1])
    lines.extend(_headers(email))
    head = "\r\n".join(lines).encode("ascii") + b"\r\n\r\n"
    if not alternatives:
        return head + parts[0][2]
    chunks = [head]
    for content_type, part_headers, body in parts:
        chunks.append(f"--{boundary}\r\n".encode("ascii"))
        chunks.append("\r\n".join([content_type, *part_headers]).encode("ascii") + b"\r\n\r\n")
        chunks.append(body + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks)


def _text_part(text: str, subtype: str) -> tuple[str, list[str], bytes]:
    """Content-Type, the part's other headers and its body. As Django does: 8bit (7bit when
    ASCII), or quoted-printable when a line is longer than SMTP allows."""
    body = LINE_END.sub("\r\n", text).encode("utf-8")  # a lone surrogate fails, as in Django
    if len(body) > LONGEST_LINE and _has_long_lines(text):
        encoding = "quoted-printable"
        body = LINE_END.sub("\r\n", QUOTED_PRINTABLE.body_encode(text.encode("utf-8")))
        body = body.encode("ascii")
    else:
        encoding = "7bit" if body.isascii() else "8bit"
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"',
        ["MIME-Version: 1.0", f"Content-Transfer-Encoding: {encoding}"],
        body,
    )


def _has_long_lines(text: str) -> bool:
    """Django's own test for writing a text part quoted-printable (``SafeMIMEText``)."""
    return any(
        len(line.encode(errors="surrogateescape")) > LONGEST_LINE for line in text.splitlines()
    )


def _boundary(parts: list[tuple[str, list[str], bytes]]) -> str:
    while True:  # as the email package does: one that occurs in no body
        boundary = "=" * 15 + str(secrets.randbelow(10**19)).zfill(19) + "=="
        needle = boundary.encode("ascii")
        if not any(needle in body for _, _, body in parts):
            return boundary


def _headers(email: EmailMessage) -> list[str]:
    """The headers ``EmailMessage.message()`` sets, in its order, each checked and encoded by
    Django's ``forbid_multi_line_headers`` and folded as the email package folds them."""
    extra = email.extra_headers
    names = {name.lower() for name in extra}
    headers = [("Subject", email.subject), ("From", extra.get("From", email.from_email))]
    for name, values in (("To", email.to), ("Cc", email.cc), ("Reply-To", email.reply_to)):
        if name in extra:  # the header given wins, even over an empty list
            headers.append((name, extra[name]))
        elif values:
            headers.append((name, ", ".join(str(v) for v in values)))
    if "date" not in names:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [(name, value) for name, value in extra.items() if name.lower() not in HANDLED]
    return [_fold(*forbid_multi_line_headers(name, value, "utf-8")) for name, value in headers]


def _fold(name: str, value: str) -> str:
    line = f"{name}: {value}"
    if len(line) <= FOLD_AT and value.isascii() and value.isprintable():
        return line  # what folding would leave as it is (no control character to turn into
        # a line break, as email.header does)
    return f"{name}: " + Header(value, header_name=name).encode(linesep="\r\n", maxlinelen=FOLD_AT)
