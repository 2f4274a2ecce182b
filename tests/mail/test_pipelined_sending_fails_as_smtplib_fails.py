"""``mail.pipelining.sendmail`` against a real SMTP server that offers PIPELINING gives, for
every refusal a server can make, what smtplib's ``sendmail`` gives against the same server
without it: the same exception with the same codes, the same messages delivered, and the
connection left in the same state (usable for the next message, or closed after a 421)."""

from __future__ import annotations

import smtplib
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from picketline.mail import pipelining
from tests.fixtures.smtp import Inbox, Refusing, _free_port

SENDER = "campaign@example.org"
DATA = b"Subject: s\r\n\r\nDear Minister,\r\n.a line that starts with a period\r\n"


SCENARIOS = {
    "accepted": {},
    "sender refused": {"mail": {SENDER: "550 5.7.1 not allowed"}},
    "message too big": {"mail": {SENDER: "552 5.3.4 too big"}},
    "sender refused for now": {"mail": {SENDER: "451 4.3.0 later"}},
    "server closing at MAIL": {"mail": {SENDER: "421 4.3.2 closing"}},
    "one recipient refused": {"rcpt": {"b@example.org": "550 5.1.1 no such user"}},
    "every recipient refused": {
        "rcpt": {"a@example.org": "550 5.1.1 no such user", "b@example.org": "452 4.2.2 full"}
    },
    "server closing at RCPT": {"rcpt": {"a@example.org": "421 4.3.2 closing"}},
    "data refused": {"data": "554 5.6.0 refused"},
    "data refused for now": {"data": "451 4.3.0 later"},
}


def outcome(send, pipelining: bool, refusals: dict) -> tuple:
    server = Refusing(Inbox(), pipelining=pipelining, **refusals)
    controller = Controller(server, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        smtp = smtplib.SMTP("127.0.0.1", controller.port)
        try:
            try:
                result = ("returned", send(smtp, SENDER, ["a@example.org", "b@example.org"], DATA))
            except smtplib.SMTPRecipientsRefused as exc:
                codes = {address: code for address, (code, _) in exc.recipients.items()}
                result = ("recipients refused", codes)
            except smtplib.SMTPResponseException as exc:
                result = (type(exc).__name__, exc.smtp_code)
            closed = smtp.sock is None
            if not closed:  # the connection is as good as new for the next message
                server.mail, server.rcpt, server.data = {}, {}, ""
                assert smtp.sendmail(SENDER, ["next@example.org"], DATA) == {}
                smtp.quit()
        finally:
            smtp.close()
        delivered = [
            (m.get_content().replace("\r\n", "\n"), rcpts)
            for m, (_, rcpts) in zip(server.inbox.messages, server.inbox.envelopes, strict=True)
        ]
        return result, closed, delivered
    finally:
        controller.stop()


def smtplib_sendmail(smtp, sender, recipients, data):
    return {address: code for address, (code, _) in smtp.sendmail(sender, recipients, data).items()}


def pipelined_sendmail(smtp, sender, recipients, data):
    return {
        address: code
        for address, (code, _) in pipelining.sendmail(smtp, sender, recipients, data).items()
    }


@pytest.mark.parametrize("refusals", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_a_pipelined_exchange_ends_as_smtplibs(refusals):
    expected = outcome(smtplib_sendmail, pipelining=False, refusals=refusals)
    assert outcome(pipelined_sendmail, pipelining=True, refusals=refusals) == expected


def test_the_happy_exchange_delivers_the_message_with_its_periods(monkeypatch):
    original, pipelined = smtplib.SMTP.sendmail, []

    def only_for_the_next(self, sender, recipients, data):
        assert recipients == ["next@example.org"], "the first message went through smtplib"
        return original(self, sender, recipients, data)

    def sending(self, data):
        pipelined.append(data)
        return send(self, data)

    send = smtplib.SMTP.send
    monkeypatch.setattr(smtplib.SMTP, "sendmail", only_for_the_next)
    monkeypatch.setattr(smtplib.SMTP, "send", sending)
    result, closed, delivered = outcome(pipelined_sendmail, pipelining=True, refusals={})
    [transaction, *_] = [sent for sent in pipelined if "MAIL FROM" in str(sent)]
    assert transaction.startswith("MAIL FROM:<campaign@example.org> SIZE=")
    assert transaction.endswith("RCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
    assert result == ("returned", {})
    first, following = delivered
    assert first == (
        "Dear Minister,\n.a line that starts with a period\n",
        ["a@example.org", "b@example.org"],
    )
    assert following[1] == ["next@example.org"]


def test_it_is_smtplibs_own_exchange_when_the_server_does_not_pipeline(monkeypatch):
    calls = []
    original = smtplib.SMTP.sendmail

    def counting(self, *args, **kwargs):
        calls.append(args[1])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", counting)
    result, _, delivered = outcome(pipelined_sendmail, pipelining=False, refusals={})
    assert result == ("returned", {})
    assert calls[0] == ["a@example.org", "b@example.org"]


class CarelessServer(Refusing):
    """A server that opens a transaction for a sender it refuses (RFC 5321 says it must not),
    so it takes the pipelined RCPT and DATA that follow."""

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802
        envelope.mail_from = address
        return self.mail.get(address, "250 OK")


def test_a_server_that_takes_data_after_refusing_the_sender_gets_nothing():
    server = CarelessServer(Inbox(), mail={SENDER: "552 5.3.4 too big"})
    controller = Controller(server, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        smtp = smtplib.SMTP("127.0.0.1", controller.port)
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            pipelining.sendmail(smtp, SENDER, ["a@example.org"], DATA)
        assert refused.value.smtp_code == 552
        assert smtp.sock is None  # left, so that the open DATA delivers nothing
    finally:
        controller.stop()
    assert server.inbox.messages == []


class Scripted:
    """A bare SMTP server on loopback that answers from a script: for each verb a list of
    replies used in turn ("HANG UP" closes the connection), then "250 OK" (or "354" for
    DATA). For the refusals aiosmtpd cannot be made to give, such as answers to commands
    after a refused sender."""

    def __init__(self, pipelining: bool, **script: list[str]) -> None:
        self.pipelining, self.script = pipelining, script
        self.delivered = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def reply(self, verb: str) -> str:
        replies = self.script.get(verb, [])
        return replies.pop(0) if replies else {"DATA": "354 go on", "EHLO": ""}.get(verb, "250 OK")

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection, connection.makefile("rb") as lines:
                connection.sendall(b"220 scripted ESMTP\r\n")
                for line in lines:
                    verb = line[:4].decode().upper()
                    if verb == "EHLO":
                        offer = "250-PIPELINING\r\n" if self.pipelining else ""
                        connection.sendall(f"250-scripted\r\n{offer}250 SIZE 100000\r\n".encode())
                        continue
                    answer = self.reply(verb)
                    if answer == "HANG UP":
                        break
                    connection.sendall(f"{answer}\r\n".encode())
                    if verb == "DATA" and answer.startswith("354"):
                        for data_line in lines:
                            if data_line == b".\r\n":
                                break
                        end = self.reply("END")
                        self.delivered += end.startswith("250")
                        connection.sendall(f"{end}\r\n".encode())
                    if verb == "QUIT" or answer.startswith("421"):
                        break

    def close(self) -> None:
        self.listener.close()


def scripted_outcome(send, pipelining: bool, script: dict) -> tuple:
    server = Scripted(pipelining, **{verb: list(replies) for verb, replies in script.items()})
    try:
        smtp = smtplib.SMTP("127.0.0.1", server.port, timeout=5)
        try:
            send(smtp, SENDER, ["a@example.org", "b@example.org"], DATA)
            return ("returned", server.delivered)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {address: code for address, (code, _) in exc.recipients.items()}
            return ("recipients refused", codes, server.delivered)
        except smtplib.SMTPResponseException as exc:
            return (type(exc).__name__, exc.smtp_code, server.delivered)
        finally:
            smtp.close()
    finally:
        server.close()


# Answers to commands smtplib never sends once the outcome is decided: they change nothing.
AFTER_THE_OUTCOME = {
    "sender refused, then 503 and 421 to the recipients": {
        "MAIL": ["550 5.7.1 no"],
        "RCPT": ["503 5.5.1 need MAIL", "421 4.7.0 too many errors"],
    },
    "sender refused, then the server hangs up": {"MAIL": ["554 5.7.1 no"], "RCPT": ["HANG UP"]},
    "every recipient refused, then 421 to DATA": {
        "RCPT": ["550 5.1.1 gone", "550 5.1.1 gone"],
        "DATA": ["421 4.7.0 closing"],
    },
    "every recipient refused, then the server hangs up at DATA": {
        "RCPT": ["550 5.1.1 gone", "550 5.1.1 gone"],
        "DATA": ["HANG UP"],
    },
    "every recipient refused, and DATA taken all the same": {
        "RCPT": ["550 5.1.1 gone", "550 5.1.1 gone"],
        "END": ["554 5.5.1 no valid recipients"],
    },
}


@pytest.mark.parametrize("script", AFTER_THE_OUTCOME.values(), ids=AFTER_THE_OUTCOME.keys())
def test_answers_after_the_outcome_change_nothing(script):
    expected = scripted_outcome(smtplib_sendmail, pipelining=False, script=script)
    assert scripted_outcome(pipelined_sendmail, pipelining=True, script=script) == expected


def test_after_every_recipient_is_refused_the_connection_takes_the_next_message():
    server = Scripted(True, RCPT=["550 5.1.1 gone"], END=["554 5.5.1 no valid recipients"])
    try:
        smtp = smtplib.SMTP("127.0.0.1", server.port, timeout=5)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            pipelining.sendmail(smtp, SENDER, ["gone@example.org"], DATA)
        assert pipelining.sendmail(smtp, SENDER, ["next@example.org"], DATA) == {}
        assert server.delivered == 1  # the single dot was refused; the next message went
        smtp.quit()
    finally:
        server.close()
