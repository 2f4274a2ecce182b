"""What the worker sends over SMTP (Django's own mail classes and SMTP backend) arrives whole,
in any language, and the server's refusals end as they should."""

import logging
import smtplib
from email.header import decode_header, make_header
from email.utils import formataddr, getaddresses

import pytest
from django.utils import timezone

from picketline.mail import outbox
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


def text_of(received, kind: str) -> str:
    return received.get_body((kind,)).get_content().replace("\r\n", "\n").rstrip()


def decoded(value: str) -> str:
    return str(make_header(decode_header(value))).strip()


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_kind_of_message_arrives_as_it_was_queued(variant, smtp_server):
    queued = message(**variant)
    queued.save()
    assert outbox.send_due() == 1
    [received] = smtp_server.messages
    assert decoded(received["Subject"]) == queued.subject.strip()
    assert received["Message-ID"] == queued.message_id
    sent_to = [address for _name, address in getaddresses(received.get_all("To", []))]
    assert len(sent_to) == len(queued.recipients())
    assert text_of(received, "plain") == queued.body_text.rstrip()
    if queued.body_html:
        assert text_of(received, "html") == queued.body_html.rstrip()
    attachments = {
        a.get_filename(): a.get_payload(decode=True) for a in received.iter_attachments()
    }
    assert attachments == {a.filename: a.content for a in queued.attachment_list()}
    [sent] = OutgoingMessage.objects.filter(pk=queued.pk)
    assert sent.status == OutgoingMessage.Status.SENT


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


def test_a_line_break_in_a_header_fails_the_message_at_once(smtp_server):
    queued = message(subject="Release them\r\nBcc: everyone@example.org")
    queued.save()
    assert outbox.send_due() == 0
    queued.refresh_from_db()
    assert queued.status == OutgoingMessage.Status.FAILED
    assert smtp_server.messages == []


@pytest.fixture
def refusing_server(settings):
    from aiosmtpd.controller import Controller

    from tests.fixtures.smtp import Inbox, Refusing, _free_port

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


@pytest.fixture
def refusing_settings(settings):
    from aiosmtpd.controller import Controller

    from tests.fixtures.smtp import Inbox, Refusing, _free_port

    started = []

    def start(**replies):
        inbox = Inbox()
        controller = Controller(Refusing(inbox, **replies), hostname="127.0.0.1", port=_free_port())
        controller.start()
        started.append(controller)
        settings.EMAIL_BACKEND = "picketline.mail.backends.SMTPBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return inbox

    yield start
    for controller in started:
        controller.stop()


def test_refusals_fail_for_good_or_wait_for_a_retry(refusing_settings):
    inbox = refusing_settings(
        mail={"big@example.org": "552 5.3.4 message too big"},
        rcpt={"gone@example.org": "550 5.1.1 no such user", "full@example.org": "452 full"},
    )
    too_big = message(from_email="Ana <big@example.org>", message_id="<a@x>")
    gone = message(to=["gone@example.org"], message_id="<b@x>")
    full = message(to=["full@example.org"], message_id="<c@x>")
    fine = message(to=["embassy@example.org"], message_id="<d@x>")
    for queued in (too_big, gone, full, fine):
        queued.save()
    assert outbox.send_due() == 1
    status = dict(OutgoingMessage.objects.values_list("message_id", "status"))
    assert status == {
        "<a@x>": OutgoingMessage.Status.FAILED,
        "<b@x>": OutgoingMessage.Status.FAILED,
        "<c@x>": OutgoingMessage.Status.RETRY,
        "<d@x>": OutgoingMessage.Status.SENT,
    }
    assert inbox.envelopes == [("campaign@example.org", ["embassy@example.org"])]


@pytest.mark.parametrize("reply", ["553 5.7.1 sender not owned by user", "421 4.7.0 try later"])
def test_a_refused_sender_fails_no_message_and_they_go_once_it_is_taken(refusing_settings, reply):
    """Every message leaves from the organisation's address: a server refusing it (a sending
    quota reached, the account suspended, a relay that no longer takes it) says nothing about
    the messages, so none fails and none loses an attempt; they go once it is taken again."""
    refusing_settings(mail={"campaign@example.org": reply})
    for n in range(3):
        message(to=[f"m{n}@example.org"], message_id=f"<sender{n}@x>").save()
    with pytest.raises(outbox.ConnectionLost):
        outbox.send_due()
    waiting = OutgoingMessage.objects.all()
    assert sorted(m.status for m in waiting) == [OutgoingMessage.Status.RETRY] * 3
    assert [m.attempts for m in waiting] == [0, 0, 0]
    inbox = refusing_settings()  # the organiser raised the quota: the sender is taken
    OutgoingMessage.objects.update(send_after=timezone.now())
    assert outbox.send_due() == 3
    assert sorted(m["Message-ID"] for m in inbox.messages) == [
        "<sender0@x>",
        "<sender1@x>",
        "<sender2@x>",
    ]


def test_a_refused_sender_writes_no_name_to_the_log(refusing_settings, caplog):
    """smtplib's refusal holds the envelope sender as Django wrote it, with the display name:
    a letter's writer. What the worker logs of it is the class and the code."""
    refusing_settings(mail={"campaign@example.org": "553 5.7.1 not owned"})
    message(from_email=formataddr(("Ana Lopez", "campaign@example.org"))).save()
    with pytest.raises(outbox.ConnectionLost) as raised:
        outbox.send_due()
    logging.getLogger("test").error("round failed", exc_info=raised.value)
    assert "Ana" not in caplog.text
    assert "SMTPSenderRefused 553" in caplog.text


def test_a_dropped_connection_gives_the_rest_of_the_batch_back(smtp_server, monkeypatch):
    from picketline.mail.backends import SMTPBackend

    for n in range(3):
        message(to=[f"m{n}@example.org"], message_id=f"<drop{n}@x>").save()
    calls = []

    def drop(self, email_messages):
        calls.append(email_messages)
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(SMTPBackend, "send_messages", drop)
    with pytest.raises(outbox.ConnectionLost):
        outbox.send_due()
    assert len(calls) == 1  # the first message only: the connection was gone
    waiting = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.RETRY)
    assert waiting.count() == 3
    monkeypatch.undo()
    assert outbox.send_due() == 2  # the two untouched ones at once; the first after its backoff
