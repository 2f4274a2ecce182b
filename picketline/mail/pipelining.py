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
asks of a client that pipelines; a server that hangs up or says 421 while answering commands
smtplib would not have sent changes nothing but the connection's state (closed). A server that
takes DATA after refusing every recipient gets a single dot (RFC 2920, 3.1); one that takes it
after refusing the sender is left (the connection closed) rather than sent anything.
"""

from __future__ import annotations

import re
import smtplib

PERIOD_AT_A_LINE_START = re.compile(rb"(?m)^\.")
CLOSING = 421  # the server closes the connection
READY_FOR_DATA = 354
# More recipients than this go through smtplib: a client that writes a long group before
# reading any reply can block on a full socket while the server blocks on its replies
# (RFC 2920, 5).
MOST_RECIPIENTS = 100


def sendmail(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes
) -> dict[str, tuple[int, bytes]]:
    """Send ``data`` (bytes with CRLF line ends) from ``sender`` to ``recipients``. Returns
    the recipients the server refused when it took the message for others, as ``sendmail``
    does."""
    smtp.ehlo_or_helo_if_needed()
    if not (smtp.does_esmtp and smtp.has_extn("pipelining")) or len(recipients) > MOST_RECIPIENTS:
        return smtp.sendmail(sender, recipients, data)
    size = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
    commands = [f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}"]
    commands += [f"RCPT TO:{smtplib.quoteaddr(recipient)}" for recipient in recipients]
    commands.append("DATA")
    smtp.send("".join(f"{command}\r\n" for command in commands))

    code, reply = smtp.getreply()
    if code != 250:
        if code == CLOSING:
            smtp.close()
        elif _answers_to_the_rest(smtp, len(recipients) + 1) == READY_FOR_DATA:
            # A server that opened a transaction for a sender it refused (RFC 5321 says it
            # must not): ending the data, even empty, could deliver something. Leaving drops it.
            smtp.close()
        elif smtp.sock is not None:
            _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, reply = smtp.getreply()
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == CLOSING:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        # Whatever the server makes of DATA now, smtplib would not have sent it.
        if _answers_to_the_rest(smtp, 1) == READY_FOR_DATA:
            # Taken with nobody to deliver to: a single dot ends it, as RFC 2920 (3.1) says.
            _end_empty(smtp)
        if smtp.sock is not None:
            _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.getreply()
    if code != READY_FOR_DATA:
        if code == CLOSING:
            smtp.close()
        else:
            _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)

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


def _answers_to_the_rest(smtp: smtplib.SMTP, count: int) -> int:
    """Read the replies to the rest of a group whose outcome is decided already. Returns the
    last code read; 0 when the server closed the connection (which is then closed here too)."""
    code = 0
    try:
        for _ in range(count):
            code = smtp.getreply()[0]
            if code == CLOSING:
                smtp.close()
                return 0
    except smtplib.SMTPServerDisconnected:
        return 0  # getreply closed the connection
    return code


def _end_empty(smtp: smtplib.SMTP) -> None:
    try:
        smtp.send(b".\r\n")
        if smtp.getreply()[0] == CLOSING:
            smtp.close()
    except smtplib.SMTPServerDisconnected:
        pass


def _reset(smtp: smtplib.SMTP) -> None:
    """RSET after a refusal; a server that has gone meanwhile is no error of the message's."""
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass
