"""The resend form and the privacy-link form take the same path for a known and an unknown
address: the request writes one row to the outbox and runs the same SQL statements either way,
so its time tells nothing; the worker looks the address up, then writes the mail or drops it."""

import re

import pytest
from django.db import connection

from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.supporters.models import Subscription

from .helpers import links_in, subscribe

pytestmark = pytest.mark.django_db(transaction=True)

KNOWN = "ana@example.org"
FORMS = ["/en/me/resend/", "/en/me/privacy/"]


def statements_of(client, path: str, email: str) -> list[str]:
    """The shapes of the SQL statements one POST runs: literals and parameters blanked."""
    statements = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        response = client.post(path, {"email": email})
    assert response.status_code == 200
    return [re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in statements]


@pytest.mark.parametrize("path", FORMS)
def test_a_known_and_an_unknown_address_run_the_same_statements(client, path):
    subscribe(KNOWN)
    client.post(path, {"email": "warm.up@example.org"})  # the client's counter starts here
    known = statements_of(client, path, KNOWN)
    unknown = statements_of(client, path, "nobody@example.org")
    assert known == unknown
    assert [sql for sql in known if not sql.startswith("SELECT")] != []
    assert not any("supporters_supporter" in sql for sql in known)


@pytest.mark.parametrize("path", FORMS)
def test_the_request_queues_one_row_whatever_the_address(client, path):
    subscribe(KNOWN)
    before = OutgoingMessage.objects.count()
    client.post(path, {"email": KNOWN})
    client.post(path, {"email": "nobody@example.org"})
    assert OutgoingMessage.objects.count() == before + 2


def test_the_worker_writes_a_privacy_link_for_a_known_address(client, smtp_server):
    subscribe(KNOWN)
    client.post("/de/me/privacy/", {"email": KNOWN})
    assert send_due() == 1
    [mail] = smtp_server.to(KNOWN)
    assert "/de/me/privacy/open/" in links_in(mail.get_body(("plain",)).get_content())[0]


@pytest.mark.parametrize("path", FORMS)
def test_the_worker_drops_the_request_for_an_unknown_address(client, smtp_server, path):
    client.post(path, {"email": "nobody@example.org"})
    assert OutgoingMessage.objects.count() == 1
    assert send_due() == 0
    assert smtp_server.to("nobody@example.org") == []
    # Nothing keeps the address that was typed.
    assert OutgoingMessage.objects.count() == 0


def test_the_worker_resends_the_confirmation_of_an_unconfirmed_action(client, smtp_server):
    _supporter, subscription = subscribe(KNOWN)
    client.post("/en/me/resend/", {"email": KNOWN})
    assert send_due() == 0  # this round turns the request into the confirmation mail
    assert send_due() == 1
    [mail] = smtp_server.to(KNOWN)
    assert "/en/me/confirm/" in mail.get_body(("plain",)).get_content()
    subscription.refresh_from_db()
    assert subscription.confirmation_mails_sent == 1
    assert list(OutgoingMessage.objects.values_list("kind", flat=True)) == ["confirmation"]


def test_resending_stops_at_the_cap(client, smtp_server, settings):
    settings.SUPPORTERS_CONFIRMATION_MAIL_CAP = 2
    subscribe(KNOWN)
    for _ in range(3):
        client.post("/en/me/resend/", {"email": KNOWN})
    send_due()
    send_due()
    assert len(smtp_server.to(KNOWN)) == 2
    assert Subscription.objects.get().confirmation_mails_sent == 2
