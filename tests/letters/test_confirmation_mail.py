"""The confirmation mail of a letter is written by the worker as it sends it, not by the
request: what arrives must be the same mail, with links that work."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from picketline.letters.models import Letter
from picketline.mail import outbox
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db


def submit(client, language: str = "en", **fields):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug}).replace("/en/", f"/{language}/")
    response = client.post(url, form_data(language=language, **fields))
    assert response.status_code == 302
    return Letter.objects.get()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_request_renders_nothing_and_the_worker_writes_the_mail(client, smtp_server):
    letter = submit(client)
    queued = OutgoingMessage.objects.get()
    assert (queued.subject, queued.body_text) == ("", "")
    assert queued.compose_ref == f"letters.letter:{letter.pk}"

    assert outbox.send_due() == 1
    [mail] = smtp_server.to("anna@example.net")
    assert mail["Subject"].strip().startswith("Please confirm: ")
    assert "Embassy of Belarus in Germany" in mail["Subject"]
    assert "Hello Anna Schmidt," in text_of(mail)
    html = mail.get_body(("html",)).get_content()
    assert 'href="http' in html


def test_the_link_in_the_mail_confirms_the_letter(client, smtp_server):
    letter = submit(client)
    outbox.send_due()
    [mail] = smtp_server.to("anna@example.net")
    links = re.findall(r"https?://\S+", text_of(mail))
    confirm = next(link for link in links if "/confirm/" in link)
    assert client.post(urlsplit(confirm).path)["Location"] == "/en/letters/release/confirmed/"
    letter.refresh_from_db()
    assert letter.confirmed_at is not None


def test_it_is_written_in_the_supporters_language(client, smtp_server):
    submit(client, language="ru")
    outbox.send_due()
    [mail] = smtp_server.to("anna@example.net")
    assert "/ru/" in text_of(mail)
    assert "Здравствуйте" in text_of(mail) or "Привет" in text_of(mail)


def test_a_letter_gone_before_the_mail_went_means_no_mail(client, smtp_server):
    letter = submit(client)
    letter.delete()
    assert outbox.send_due() == 0
    assert smtp_server.to("anna@example.net") == []
    message = OutgoingMessage.objects.get()
    assert message.status == OutgoingMessage.Status.FAILED
    assert message.last_error.startswith("nothing to send")


def test_a_message_names_a_registered_composer_never_code(client):
    message = OutgoingMessage.build(
        to=["x@example.org"], subject="", text="", kind="confirmation", compose_with="os.system"
    )
    with pytest.raises(LookupError):
        message.compose()


def test_a_message_whose_composer_is_unknown_waits_and_the_rest_goes(client, smtp_server):
    OutgoingMessage.queue(
        to=["x@example.org"], subject="", text="", kind="confirmation", compose_with="gone"
    )
    OutgoingMessage.queue(to=["y@example.org"], subject="Hello", text="Hi", kind="t")
    assert outbox.send_due() == 1
    waiting = OutgoingMessage.objects.get(compose_with="gone")
    assert waiting.status == OutgoingMessage.Status.RETRY  # a newer worker may know it
    assert waiting.last_error == "UnknownComposer"
    assert len(smtp_server.to("y@example.org")) == 1


def test_writing_many_confirmations_reads_each_action_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug})

    def compose_all() -> int:
        batch = list(OutgoingMessage.objects.order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            OutgoingMessage.look_up_to_compose(batch)
            for message in batch:
                assert message.compose()
                assert "Embassy of Belarus in Germany" in message.subject
        return len(queries)

    for n in range(3):
        assert client.post(url, form_data(email=f"s{n}@example.net")).status_code == 302
    compose_all()  # what every process reads once and keeps (the campaign's name) is read
    three = compose_all()
    for n in range(3, 12):
        assert client.post(url, form_data(email=f"s{n}@example.net")).status_code == 302
    assert compose_all() == three  # as many queries for twelve as for three


def test_a_batch_of_confirmations_looks_up_its_letters_in_one_query(client, smtp_server):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug})
    for n in range(6):
        assert client.post(url, form_data(email=f"s{n}@example.net")).status_code == 302
    gone = Letter.objects.order_by("pk").last()
    gone.delete()  # "not me" before the mail went: the batch must skip it, not fail
    batch = list(OutgoingMessage.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        OutgoingMessage.look_up_to_compose(batch)
        written = [message.compose() for message in batch]
    letters = [q["sql"] for q in queries if 'FROM "letters_letter"' in q["sql"]]
    assert len(letters) == 1, letters
    assert written == [True] * 5 + [False]
    assert all("Embassy of Belarus in Germany" in m.subject for m in batch[:5])
    # The same, sent: five mails, each to its own supporter, each naming its own letter.
    assert outbox.send_due() == 5
    for n in range(5):
        [mail] = smtp_server.to(f"s{n}@example.net")
        assert "Embassy of Belarus in Germany" in mail["Subject"]
