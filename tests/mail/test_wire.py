"""The worker writes messages and envelopes itself (``picketline.mail.wire``): what it sends
must be what Django's SMTP backend would have sent, and arrive whole, in any language."""

import random
import re
import smtplib
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import formataddr, parseaddr

import pytest
from django.core.mail.message import sanitize_address

from picketline.mail import outbox, wire
from picketline.mail.models import Attachment, OutgoingMessage

pytestmark = pytest.mark.django_db

CYRILLIC_NAME = "Алесь Бяляцкі"
CYRILLIC_SUBJECT = "Вызваліце палітвязняў — свабоду прафсаюзам Беларусі"
LONG_URL = "https://campaign.example.org/en/unsubscribe/" + "a1b2c3d4" * 12 + "/"


def message(**kwargs) -> OutgoingMessage:
    fields = dict(
        to=["embassy@example.org"],
        subject="Release them",
        text="Dear Ambassador,\n\nRelease them.\n\nYours sincerely,\nAna",
        kind="letter",
        from_email=formataddr(("Ana Lopez", "campaign@example.org")),
        reply_to=["ana@example.org"],
        message_id="<letter.1.1@example.org>",
        headers={"X-Picketline-Action": "release"},
    )
    return OutgoingMessage.build(**{**fields, **kwargs})


VARIANTS = {
    "plain": {},
    "cyrillic subject and names": dict(
        subject=CYRILLIC_SUBJECT,
        from_email=formataddr((CYRILLIC_NAME, "campaign@example.org"), charset="utf-8"),
        reply_to=[formataddr((CYRILLIC_NAME, "ales@example.org"), charset="utf-8")],
        text="Шаноўны пасол,\n\nвызваліце іх.\n",
    ),
    "unencoded cyrillic display name": dict(from_email=f"{CYRILLIC_NAME} <campaign@example.org>"),
    "long ascii subject": dict(subject="Release the jailed trade unionists " * 4),
    "subject that ends in a space": dict(subject="Release them "),
    "header that fits exactly": dict(subject="S" * (78 - len("Subject: "))),
    "header one longer": dict(subject="S" * (79 - len("Subject: "))),
    "long list-unsubscribe": dict(
        headers={"List-Unsubscribe": f"<{LONG_URL}>", "List-Unsubscribe-Post": "One-Click"}
    ),
    "several recipients and cc": dict(
        to=["a@example.org", "b@example.org"], cc=["c@example.org", "Dee <d@example.org>"]
    ),
    "html alternative": dict(
        subject=CYRILLIC_SUBJECT,
        text="Confirm your letter:\nhttps://campaign.example.org/c/abc/\n",
        html='<p>Пацвердзіце ліст</p>\n<p><a href="https://campaign.example.org/c/abc/">OK</a></p>',
    ),
    "ascii html alternative ending in a newline": dict(html="<p>Confirm</p>\n"),
    "html alternative with a line over 998 characters": dict(html="<p>" + "ü" * 600 + "</p>"),
    "html and attachments": dict(
        html="<p>Dear Ambassador,</p><p>Вызваліце іх.</p>",
        attachments=[
            Attachment("letter.pdf", bytes(range(256)) * 8, "application/pdf"),
            Attachment("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ],
    ),
    "lines over 998 characters": dict(text="x" * 1200 + "\n" + "ü" * 600),
    "lines starting with a dot": dict(text=".\n.hidden\n..\nend"),
    "international domain": dict(to=["посол@пример.рф", "embassy@bücher.example"]),
}


def normalised(data: bytes) -> bytes:
    """Date and MIME boundaries differ from one rendering to the next; nothing else may."""
    data = re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", data)
    for boundary in set(re.findall(rb'boundary="([^"]+)"', data)):
        data = data.replace(boundary, b"BOUNDARY")
    return data


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_bytes_are_those_django_would_send(variant):
    queued = message(**variant)
    django_bytes = queued.to_email_message().message().as_bytes(linesep="\r\n")
    assert normalised(wire.render(queued)[2]) == normalised(django_bytes)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_envelope_is_the_one_django_would_use(variant):
    queued = message(**variant)
    email = queued.to_email_message()
    sender, recipients, _data = wire.render(queued)
    assert (sender, recipients) == (email.from_email, email.recipients())
    assert wire.envelope_sender(sender) == parseaddr(sanitize_address(sender, "utf-8"))[1]
    assert [wire.envelope_address(a) for a in recipients] == [
        parseaddr(sanitize_address(a, "utf-8"))[1] for a in recipients
    ]


def test_random_letters_come_out_as_django_writes_them():
    chooser = random.Random(2822)
    pieces = ["Dear", " ", "  ", "\n", "\r\n", "\r", "\n\n", ".", "\n.", "Ўладзімір", "—", "é",
              "\t", ",", ";", "<", "@", '"', "=?", "x" * 70, "\u2028", "\x85", "From "]  # fmt: skip

    def text(most: int) -> str:
        return "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, most)))

    for _ in range(300):
        name = text(6).replace("\r", "").replace("\n", "")
        queued = message(
            subject=text(12).replace("\r", "").replace("\n", ""),
            text=text(60),
            from_email=formataddr((name, "campaign@example.org"), charset="utf-8"),
            reply_to=[formataddr((name, "ana@example.org"))],
            headers={"X-Picketline-Action": text(8).replace("\r", "").replace("\n", "")},
        )
        django_bytes = queued.to_email_message().message().as_bytes(linesep="\r\n")
        assert normalised(wire.render(queued)[2]) == normalised(django_bytes), queued.body_text


def test_random_confirmations_with_html_come_out_as_django_writes_them():
    chooser = random.Random(2049)
    pieces = ["<p>", "</p>", "Пацвердзіце", " ", "\n", "\r\n", "\r", ".", "\n.", "--", "\n--",
              "=" * 15, "&amp;", "é", "\t", "x" * 70, "\u2028", "From "]  # fmt: skip

    def text(most: int) -> str:
        return "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, most)))

    for _ in range(200):
        queued = message(subject=text(8).replace("\r", "").replace("\n", ""), text=text(40))
        queued.body_html = text(60)
        email = queued.to_email_message()
        assert wire._text_bytes(email) is not None  # written by wire, not by the email package
        django_bytes = email.message().as_bytes(linesep="\r\n")
        assert normalised(wire.render(queued)[2]) == normalised(django_bytes), queued.body_html


def test_a_boundary_never_starts_a_line_of_the_message(monkeypatch):
    queued = message(html="<p>Confirm</p>")
    data = wire.render(queued)[2]
    [boundary] = re.findall(rb'boundary="([^"]+)"', data)
    assert data.count(b"--" + boundary) == 3
    # A text holding that very boundary makes the next draw differ.
    drawn = iter([int(boundary[15:-2]), 7])
    monkeypatch.setattr(wire.random, "randrange", lambda _stop: next(drawn))
    assert wire._boundary([b"--" + boundary + b"\r\n"]) == "=" * 15 + f"{7:019d}" + "=="


def test_a_plain_header_is_written_as_the_standard_library_would_write_it():
    alphabet = "ab ,;:<>@\"'=()\t-.é\x7f" + "x" * 10
    policy = compat32.clone(linesep="\r\n")
    chooser = random.Random(5322)
    for _ in range(3000):
        name = chooser.choice(["Subject", "To", "X-Picketline-Action", "List-Unsubscribe"])
        value = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 90)))
        assert wire.SMTP_POLICY.fold_binary(name, value) == policy.fold_binary(name, value), value


def test_an_address_that_does_not_parse_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError):
        wire.envelope_sender("Doe, John <john@example.org>")
    with pytest.raises(ValueError):
        wire.envelope_address("ana@example.org@example.net")


def test_cyrillic_names_and_subject_arrive_intact(smtp_server):
    OutgoingMessage.queue(
        to=[formataddr((CYRILLIC_NAME, "embassy@example.org"), charset="utf-8")],
        subject=CYRILLIC_SUBJECT,
        text="Шаноўны пасол,\nвызваліце іх.",
        html="<p>Шаноўны пасол</p>",
        kind="letter",
        from_email=formataddr((CYRILLIC_NAME, "campaign@example.org"), charset="utf-8"),
        reply_to=["ales@example.org"],
        headers={"List-Unsubscribe": f"<{LONG_URL}>"},
        attachments=[Attachment("лист.pdf", b"%PDF-1.4 ...", "application/pdf")],
    )
    assert outbox.send_due() == 1
    [received] = smtp_server.messages
    [(mail_from, rcpt_tos)] = smtp_server.envelopes
    assert (mail_from, rcpt_tos) == ("campaign@example.org", ["embassy@example.org"])
    # Django starts a long encoded subject on a continuation line, hence the space in front.
    assert received["Subject"].lstrip() == CYRILLIC_SUBJECT
    assert received["From"].addresses[0].display_name == CYRILLIC_NAME
    assert received["To"].addresses[0].display_name == CYRILLIC_NAME
    assert received["List-Unsubscribe"].lstrip() == f"<{LONG_URL}>"
    assert received.get_body(("plain",)).get_content().startswith("Шаноўны пасол,")
    assert received.get_body(("html",)).get_content().strip() == "<p>Шаноўны пасол</p>"
    [attachment] = received.iter_attachments()
    assert attachment.get_filename() == "лист.pdf"
    assert attachment.get_content() == b"%PDF-1.4 ..."


def test_long_headers_are_folded_to_lines_of_at_most_78_characters(smtp_server):
    subject = "Release the jailed trade unionists of Belarus " * 3
    queued = message(subject=subject, headers={"List-Unsubscribe": f"<{LONG_URL}>"})
    queued.save()
    data = wire.render(queued)[2]
    head = data.split(b"\r\n\r\n")[0].split(b"\r\n")
    # Only a line that is one unbreakable word (the long URL) may be longer.
    assert all(len(line) <= 78 or b" " not in line.strip() for line in head)
    assert any(line.startswith(b" ") for line in head)
    assert outbox.send_due() == 1
    [received] = smtp_server.messages
    assert str(make_header(decode_header(received["Subject"]))) == subject.strip()
    assert received["List-Unsubscribe"].lstrip() == f"<{LONG_URL}>"


class Refusing:
    """aiosmtpd hooks that refuse some senders or recipients, as a real server would."""

    def __init__(self, inbox, mail=None, rcpt=None):
        self.inbox, self.mail, self.rcpt = inbox, mail or {}, rcpt or {}

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802
        envelope.mail_from = address
        return self.mail.get(address, "250 OK")

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        reply = self.rcpt.get(address, "250 OK")
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return await self.inbox.handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_server(settings):
    from aiosmtpd.controller import Controller

    from tests.fixtures.smtp import Inbox, _free_port

    def start(**replies):
        inbox = Inbox()
        controller = Controller(Refusing(inbox, **replies), hostname="127.0.0.1", port=_free_port())
        controller.start()
        started.append(controller)
        smtp = smtplib.SMTP("127.0.0.1", controller.port)
        connections.append(smtp)
        return inbox, smtp

    started, connections = [], []
    yield start
    for smtp in connections:
        smtp.close()
    for controller in started:
        controller.stop()


def test_refusals_raise_what_sendmail_raises(refusing_server):
    inbox, smtp = refusing_server(
        mail={"bounce@example.org": "550 5.7.1 not you"},
        rcpt={"gone@example.org": "550 5.1.1 no such user", "full@example.org": "452 full"},
    )
    data = wire.render(message())[2]
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        wire.send(smtp, "Ana <bounce@example.org>", ["embassy@example.org"], data)
    assert refused.value.smtp_code == 550

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        wire.send(smtp, "Ana <campaign@example.org>", ["gone@example.org"], data)
    assert list(refused.value.recipients) == ["gone@example.org"]
    assert refused.value.recipients["gone@example.org"][0] == 550

    partly = wire.send(
        smtp, "Ana <campaign@example.org>", ["full@example.org", "embassy@example.org"], data
    )
    assert list(partly) == ["full@example.org"]
    assert inbox.envelopes == [("campaign@example.org", ["embassy@example.org"])]


def test_the_hooks_run_while_the_server_answers_and_a_failing_one_stops_the_data(
    refusing_server,
):
    inbox, smtp = refusing_server()
    data = wire.render(message())[2]
    order = []
    wire.send(
        smtp,
        "campaign@example.org",
        ["embassy@example.org"],
        data,
        while_mail_is_answered=lambda: order.append("mail"),
        while_data_is_answered=lambda: order.append("data"),
    )
    assert order == ["mail", "data"]
    assert len(inbox.messages) == 1

    def fails():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        wire.send(
            smtp,
            "campaign@example.org",
            ["embassy@example.org"],
            data,
            while_mail_is_answered=fails,
        )
    smtp.close()
    assert len(inbox.messages) == 1
