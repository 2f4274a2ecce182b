"""A letter from a new address and one from a known address are stored the same way: the same
SQL statements (so the time a submission takes tells nothing about the address), all or
nothing, on SQLite and PostgreSQL alike."""

import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from picketline.letters.models import Letter, LetterAction
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent, Supporter
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def action() -> LetterAction:
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    return embassy_action()


def post(client, action, **fields):
    url = reverse("letters:action", kwargs={"slug": action.slug})
    data = form_data(consent_publish_name="on", **fields)
    response = client.post(url, data)
    assert response.status_code == 302
    return response


def statements_of(client, action, **fields) -> list[str]:
    """The shapes of the SQL statements a submission runs: literals and parameters blanked."""
    statements = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        post(client, action, **fields)
    return [re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in statements]


def test_a_new_and_a_known_address_run_the_same_statements(client, action):
    post(client, action, email="first@example.net")  # the consent wordings' first use
    # Known, but with no recent submission (whose rate-limit counter would be another matter).
    Supporter.get_or_create_for_email("known@example.net", name="Known Person")
    new = statements_of(client, action, email="new@example.net")
    known = statements_of(client, action, email="known@example.net", name="Someone Else")
    assert new == known
    assert len([sql for sql in new if sql.startswith("INSERT")]) >= 3


def test_a_letter_stores_the_supporter_the_letter_its_mail_and_its_consents(client, action):
    post(client, action)
    supporter = Supporter.objects.for_email("anna@example.net")
    assert supporter.name == "Anna Schmidt"
    letter = Letter.objects.get(supporter=supporter)
    assert (letter.organisation, letter.confirmation_mails_sent) == ("ver.di", 1)
    assert letter.confirmed_at is None
    message = OutgoingMessage.objects.get(compose_ref=f"letters.letter:{letter.pk}")
    assert message.compose_with == "confirmation"
    assert message.recipients() == ["anna@example.net"]
    purposes = sorted(Consent.objects.for_action(letter).values_list("purpose", flat=True))
    assert purposes == ["publish_name", "send_in_my_name"]
    assert {c.supporter_id for c in Consent.objects.for_action(letter)} == {supporter.pk}


def test_a_known_address_keeps_one_supporter_and_its_name(client, action):
    post(client, action)
    post(client, action, name="Someone Else")
    assert Supporter.objects.count() == 1
    assert Supporter.objects.get().name == "Anna Schmidt"
    # The same letter again: the first one's confirmation goes again, nothing new is stored.
    assert Letter.objects.count() == 1
    assert OutgoingMessage.objects.filter(kind="confirmation").count() == 2
    assert Consent.objects.count() == 2


def test_when_one_row_fails_nothing_is_written(client, action, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the outbox is full")

    monkeypatch.setattr(OutgoingMessage, "save", fail)
    with pytest.raises(RuntimeError):
        post(client, action)
    assert Supporter.objects.count() == 0
    assert Letter.objects.count() == 0
    assert Consent.objects.count() == 0


@pytest.mark.postgres
def test_two_letters_from_one_new_address_at_once_make_one_supporter(action):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def submit() -> None:
        from django.test import Client

        try:
            barrier.wait(timeout=10)
            post(Client(), action)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Supporter.objects.count() == 1
    # One letter per person and action, however many forms arrive at once; its confirmation
    # goes again up to its cap (three mails in all).
    assert Letter.objects.filter(supporter=Supporter.objects.get()).count() == 1
    assert OutgoingMessage.objects.count() == 3
