"""``mail.wire.written_out`` writes the very bytes Django's ``message().as_bytes()`` writes.

Each case is compared byte for byte with Django's own output (the random MIME boundary put
aside); a message of another shape is left to Django (None).
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.utils import formataddr

import pytest
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.utils.translation import gettext_lazy

from picketline.mail.wire import written_out

FIXED = {"Date": "Sat, 05 Dec 2026 22:30:00 -0000", "Message-ID": "<m.1.2@campaign.example>"}
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://campaign.example/ru/mailings/unsubscribe/"
    + "eyJtIjoxLCJzIjo1LCJoIjoiYWJjZGVmMDEyMzQ1In0:1v7Qxk:"
    + "a" * 43
    + "/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}
LETTER = "Dear Ambassador,\n\nRelease them.\n\nYours,\nАнна Іванова\n"


def django_bytes(email: EmailMessage) -> bytes:
    return email.message().as_bytes(linesep="\r\n")


def same_but_boundary(ours: bytes, theirs: bytes) -> None:
    boundary = re.compile(rb"={15}\d{19}==")
    assert boundary.sub(b"B", ours) == boundary.sub(b"B", theirs)


def message(html: str | None = "<p>Hello</p>", **fields) -> EmailMessage:
    fields = {
        "subject": "News from the campaign",
        "body": "Hello,\n\nnews.\n",
        "from_email": "Campaign <campaign@campaign.example>",
        "to": ["reader@example.org"],
        **fields,
    }
    fields["headers"] = {**FIXED, **fields.get("headers", {})}
    email = EmailMultiAlternatives(**fields)
    if html is not None:
        email.attach_alternative(html, "text/html")
    return email


CASES = {
    "plain ascii": message(html=None),
    "ascii with html": message(),
    "long ascii subject": message(subject="The trial of the five union leaders " * 4),
    "cyrillic subject": message(subject="Новости кампании: суд над профсоюзными лидерами " * 2),
    "german subject": message(subject="Gewerkschaftsarbeit ist kein Extremismus!"),
    "named sender": message(
        from_email='"Іванова, Анна" <campaign@campaign.example>', reply_to=["anna@example.org"]
    ),
    "ascii sender with a comma": message(from_email='"Smith, Jo" <campaign@campaign.example>'),
    "several recipients and cc": message(
        to=["a@example.org", "b@example.org"], cc=["Office <office@example.org>"]
    ),
    "international domain": message(to=["reader@пример.рф"]),
    "letter": message(
        html=None,
        body=LETTER,
        from_email="Анна Іванова <campaign@campaign.example>",
        reply_to=["anna@example.org"],
        headers={"X-Picketline-Action": "release-the-unionists"},
    ),
    "mailing": message(
        subject="Привет, Анна: новости",
        body="Привет, Анна!\n\n" + "Текст письма. " * 30 + "\n\n-- \nFrom here\n.dot\n",
        html="<p>Привет, Анна!</p>\n\n<p>" + "Текст. " * 60 + "</p>",
        headers=UNSUBSCRIBE,
    ),
    "line ends of every kind": message(body="one\r\ntwo\rthree\nfour", html="a\r\nb"),
    "no line end at the end": message(body="no end", html=None),
    "empty subject": message(subject=""),
    "a date of its own": message(headers={"Date": "Mon, 07 Dec 2026 09:00:00 +0100"}),
    "long header value": message(headers={"X-Note": "word " * 40}),
    "cyrillic header value": message(headers={"X-Note": "заметка " * 20}),
    "reply-to only in the headers": message(headers={"Reply-To": "anna@example.org"}),
    "to only in the headers": message(
        to=[], bcc=["hidden@example.org"], headers={"To": "undisclosed-recipients:;"}
    ),
    "a control character in a short header": message(headers={"X-Note": "a\x0c b"}),
    "a lazy body": message(body=gettext_lazy("Hello"), html=None),
    "a line longer than SMTP allows": message(body="x" * 999 + "\n.dot\n", html="y" * 2000),
    "a paragraph of 1,000 bytes": message(
        subject="Новости", body="Привет!\n\n" + "Текст письма. " * 40 + "\n\nКонец =.\n"
    ),
    "long lines, no html": message(body="Текст письма. " * 200, html=None),
    "html only": EmailMessage(subject="s", body="<p>x</p>", to=["a@example.org"], headers=FIXED),
}
CASES["html only"].content_subtype = "html"


@pytest.mark.parametrize("email", CASES.values(), ids=CASES.keys())
def test_the_bytes_are_djangos(email, settings):
    settings.DEFAULT_CHARSET = "utf-8"
    ours = written_out(email)
    assert ours is not None
    same_but_boundary(ours, django_bytes(email))


def test_without_a_date_or_message_id_both_are_added(settings):
    email = EmailMultiAlternatives("s", "b", to=["a@example.org"])
    ours = written_out(email)
    assert re.search(rb"^Date: .+\r$", ours, re.M)
    assert re.search(rb"^Message-ID: <.+@.+>\r$", ours, re.M)


def test_a_line_break_in_a_header_is_refused_as_django_refuses_it():
    for email in (message(subject="a\nBcc: x@example.org"), message(to=["a@example.org\nX: y"])):
        with pytest.raises(BadHeaderError):
            django_bytes(email)
        with pytest.raises(BadHeaderError):
            written_out(email)


def test_a_header_hidden_behind_a_control_character_is_refused_as_django_refuses_it():
    email = message(from_email=formataddr(("Ann\x0bBcc: boss@example.org", "c@example.org")))
    with pytest.raises(HeaderParseError):
        django_bytes(email)
    with pytest.raises(HeaderParseError):
        written_out(email)


def test_a_lone_surrogate_is_refused_as_django_refuses_it():
    email = message(body="a\udcffb", html=None)
    with pytest.raises(UnicodeEncodeError):
        django_bytes(email)
    with pytest.raises(UnicodeEncodeError):
        written_out(email)


OTHER_SHAPES = {
    "another spelling of utf-8": lambda: _with(
        message(), lambda e: setattr(e, "encoding", "UTF-8")
    ),
    "attachment": lambda: _with(message(), lambda e: e.attach("a.txt", "x", "text/plain")),
    "two alternatives": lambda: _with(message(), lambda e: e.attach_alternative("x", "text/html")),
    "a non-html alternative": lambda: message(html=None).__class__(
        "s", "b", to=["a@example.org"], alternatives=[("x", "text/calendar")]
    ),
    "html without text": lambda: message(body=""),
    "a content type of its own": lambda: message(headers={"Content-Type": "text/plain"}),
}


def _with(email, change):
    change(email)
    return email


@pytest.mark.parametrize("make", OTHER_SHAPES.values(), ids=OTHER_SHAPES.keys())
def test_other_shapes_are_left_to_django(make):
    assert written_out(make()) is None


def test_the_smtp_backend_sends_both_shapes_over_one_connection(smtp_server):
    from django.core.mail import get_connection

    plain = message(subject="Новости", headers=UNSUBSCRIBE)
    with_file = _with(
        message(subject="With a file"), lambda e: e.attach("a.txt", "x", "text/plain")
    )
    connection = get_connection()
    assert connection.send_messages([plain, with_file]) == 2
    assert connection.connection is None  # it opened the connection itself, and closed it
    first, second = smtp_server.messages
    assert first["Subject"] == "Новости"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first.get_body(("plain",)).get_content() == "Hello,\r\n\r\nnews.\r\n"
    assert [a.get_filename() for a in second.iter_attachments()] == ["a.txt"]
    assert smtp_server.envelopes == [
        ("campaign@campaign.example", ["reader@example.org"]),
        ("campaign@campaign.example", ["reader@example.org"]),
    ]


def test_a_host_name_label_longer_than_63_is_refused_as_django_refuses_it():
    from django.core.mail.message import sanitize_address

    from picketline.mail.backends import envelope_address

    address = "a@" + "x" * 64 + ".org"
    with pytest.raises(UnicodeError):
        sanitize_address(address, "utf-8")
    with pytest.raises(UnicodeError):
        envelope_address(address, "utf-8")


def test_a_message_without_recipients_is_not_written(smtp_server):
    from django.core.mail import get_connection

    nobody = message(to=[], subject="a\nBcc: x@example.org")
    assert get_connection().send_messages([nobody]) == 0  # as Django's: no header error
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "address",
    [
        "reader123@bench.example",
        "o'neil+news@mail.example.org",
        "A.B-c_d@EXAMPLE.ORG",
        "Anna <anna@example.org>",
        '"Smith, Jo" <jo@example.org>',
        "anna@пример.рф",
        "анна@example.org",
        '"quoted local"@example.org',
        "trailing.dot.@example.org",
    ],
)
def test_the_envelope_holds_what_djangos_backend_would_send(address):
    from django.core.mail.message import sanitize_address

    from picketline.mail.backends import PLAIN_ADDRESS, envelope_address

    assert envelope_address(address, "utf-8") == sanitize_address(address, "utf-8")
    if PLAIN_ADDRESS.fullmatch(address):
        assert sanitize_address(address, "utf-8") == address
