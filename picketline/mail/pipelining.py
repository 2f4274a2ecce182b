"""One mail transaction with SMTP command pipelining (RFC 2920), on an open ``smtplib.SMTP``.

smtplib's ``sendmail`` waits for the reply to MAIL, then to each RCPT, then to DATA, before the
message itself goes: a round trip each. A server that offers PIPELINING (Postfix, Exim and the
large providers do) takes MAIL, the RCPTs and DATA in one write and answers them together, so
a message costs two round trips whatever its recipients. With a server that does not offer it,
this is smtplib's ``sendmail``.

It raises what ``sendmail`` raises, in the same cases, for the outbox reads them: the sender
refused (``SMTPSenderRefused``), every recipient refused (``SMTPRecipientsRefused``), the data
refused (``SMTPDataError``); and it leaves the connection as ``sendmail`` does: reset after a
refusal, closed after a 421. Every reply is read before the connection is reset, as the RFC
asks of a client that pipelines. A server that takes DATA after refusing the sender or every
recipient is left (the connection closed) rather than sent an empty message.
"""

from __future__ import annotations

import re
import smtplib

PERIOD_AT_A_LINE_START = re.compile(rb"(?m)^\.")
CLOSING = 421  # the server closes the connection
READY_FOR_DATA = 354


def sendmail(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes
) -> dict[str, tuple[int, bytes]]:
    """Send ``data`` (bytes with CRLF line ends) from ``sender`` to ``recipients``. Returns
    the recipients the server refused when it took the message for others, as ``sendmail``
    does."""
    smtp.ehlo_or_helo_if_needed()
    if not (smtp.does_esmtp and smtp.has_extn("pipelining")):
        return smtp.sendmail(sender, recipients, data)
    size = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
    commands = [f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}"]
    commands += [f"RCPT TO:{smtplib.quoteaddr(recipient)}" for recipient in recipients]
    commands.append("DATA")
    smtp.send("".join(f"{command}\r\n" for command in commands))

    mail = smtp.getreply()
    if mail[0] == CLOSING:
        smtp.close()
        raise smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, reply = smtp.getreply()
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == CLOSING:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    data_reply = smtp.getreply()
    if data_reply[0] == CLOSING:
        smtp.close()
        raise smtplib.SMTPDataError(*data_reply)

    if mail[0] != 250 or len(refused) == len(recipients):
        if data_reply[0] == READY_FOR_DATA:
            # A server that takes DATA after refusing the sender or every recipient: ending
            # the data, even empty, could deliver something. Leaving drops the transaction.
            smtp.close()
        else:
            _reset(smtp)
        if mail[0] != 250:
            raise smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
        raise smtplib.SMTPRecipientsRefused(refused)
    if data_reply[0] != READY_FOR_DATA:
        _reset(smtp)
        raise smtplib.SMTPDataError(*data_reply)

    quoted = PERIOD_AT_A_LINE_START.sub(b"..", data)
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    smtp.send(quoted + b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        if code == CLOSING:
            smtp.close()
        else:
            _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _reset(smtp: smtplib.SMTP) -> None:
    """RSET after a refusal; a server that has gone meanwhile is no error of the message's."""
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass
