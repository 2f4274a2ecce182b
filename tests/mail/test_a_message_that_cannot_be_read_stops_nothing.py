"""A message the outbox cannot read (the key it was written with left
PICKETLINE_ENCRYPTION_KEYS too early, or its ciphertext is damaged) is set aside as failed, with
a reason and without its content, logged once; every other message still goes, in the same
round; organisers see it, and once the key is back they can send it again."""

from __future__ import annotations

import html
import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from picketline.accounts.roles import ORGANISER, VIEWER, ensure_roles
from picketline.lib.crypto import new_key_text
from picketline.mail import outbox
from picketline.mail.models import MessageAddress, OutgoingMessage, purge_old_mail
from picketline.supporters import flow
from picketline.supporters.models import Supporter
from picketline.web.fields import key_ring
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db

Status = OutgoingMessage.Status


@pytest.fixture(autouse=True)
def _fresh_key_ring():
    key_ring.cache_clear()
    yield
    key_ring.cache_clear()


def queue_to(address: str, subject: str = "Your letter") -> OutgoingMessage:
    return OutgoingMessage.queue(to=[address], subject=subject, text=f"Dear {address}", kind="test")


REMOVED_KEY = new_key_text("k0")


def queue_with_a_key_that_then_goes(settings, address: str) -> OutgoingMessage:
    """A message written while key k0 was the current key, which is then taken out of the
    key ring before the message was sent."""
    kept = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [REMOVED_KEY, *kept]
    key_ring.cache_clear()
    message = queue_to(address, subject="Secret subject")
    settings.ENCRYPTION_KEYS = kept
    key_ring.cache_clear()
    return message


def put_the_key_back(settings) -> None:
    settings.ENCRYPTION_KEYS = [*settings.ENCRYPTION_KEYS, REMOVED_KEY]
    key_ring.cache_clear()


def damage(message: OutgoingMessage, column: str = "body_text") -> None:
    """Overwrite one column's ciphertext with bytes that do not open (a bad restore, a disk)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE mail_outgoingmessage SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            ["k1$2$bm90IGEgY2lwaGVydGV4dCBhdCBhbGwgYnV0IGxvbmcgZW5vdWdo", message.pk],
        )


def test_the_others_go_in_the_same_round_when_one_was_written_with_a_removed_key(
    settings, smtp_server
):
    first = queue_to("ana@example.org")
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    last = queue_to("cleo@example.org")

    assert outbox.send_due() == 2

    assert len(smtp_server.to("ana@example.org")) == 1
    assert len(smtp_server.to("cleo@example.org")) == 1
    assert smtp_server.to("bob@example.org") == []
    first.refresh_from_db()
    last.refresh_from_db()
    assert first.status == last.status == Status.SENT
    lost = OutgoingMessage.objects.get(pk=lost.pk)
    assert lost.status == Status.FAILED
    assert "k0" in lost.last_error and "Secret subject" not in lost.last_error


def test_a_damaged_message_is_set_aside_and_not_tried_again(smtp_server):
    queue_to("ana@example.org")
    damaged = queue_to("bob@example.org")
    damage(damaged)

    assert outbox.send_due() == 1
    queue_to("cleo@example.org")
    assert outbox.send_due() == 1  # the next round claims only the new one

    damaged = OutgoingMessage.objects.get(pk=damaged.pk)
    assert damaged.status == Status.FAILED
    assert damaged.attempts == 0  # nothing was sent, so nothing was attempted
    assert damaged.last_error.startswith("unreadable")
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.org", "cleo@example.org"]


def test_it_is_logged_once_as_an_error_with_the_row_and_the_key(settings, smtp_server, caplog):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    queue_to("ana@example.org")
    with caplog.at_level(logging.ERROR, logger="picketline.mail.outbox"):
        outbox.send_due()
        outbox.send_due()
        outbox.send_due()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert f"message {lost.pk}" in errors[0] and "'k0'" in errors[0]
    assert "bob" not in errors[0] and "Secret" not in errors[0]


def test_readyz_counts_it_and_the_site_stays_up(settings, smtp_server, client, capsys):
    queue_with_a_key_that_then_goes(settings, "bob@example.org")
    queue_to("ana@example.org")
    outbox.send_due()

    response = client.get("/readyz")
    assert response.status_code == 200
    assert "unreadable-mail found 1\n" in response.content.decode()
    assert "outbox ok 0s\n" in response.content.decode()  # the rest flows
    with pytest.raises(SystemExit):  # the operator's alarm
        call_command("status")
    assert "unreadable-mail found 1" in capsys.readouterr().out


def organiser(client):
    ensure_roles()
    login_verified(client, make_staff("organiser", superuser=False, groups=[ORGANISER]))


def send_again(client, message: OutgoingMessage):
    return client.post(
        reverse("admin:mail_outgoingmessage_changelist"),
        {"action": "send_again", "_selected_action": [message.pk]},
        follow=True,
    )


def test_organisers_see_why_in_the_outbox_list_and_on_its_page(settings, smtp_server, client):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    queue_to("ana@example.org")
    organiser(client)
    changelist = reverse("admin:mail_outgoingmessage_changelist")
    assert client.get(changelist).status_code == 200  # before the worker saw it too
    outbox.send_due()

    listed = html.unescape(
        client.get(reverse("admin:mail_outgoingmessage_changelist")).content.decode()
    )
    assert "key 'k0' is not in PICKETLINE_ENCRYPTION_KEYS" in listed
    page = client.get(reverse("admin:mail_outgoingmessage_change", args=[lost.pk]))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "key 'k0' is not in PICKETLINE_ENCRYPTION_KEYS" in text
    assert "Secret subject" not in text and "bob@example.org" not in text


def test_an_organiser_sends_it_again_once_the_key_is_back(settings, smtp_server, client):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    outbox.send_due()
    organiser(client)

    # Still without its key: it stays aside, and the organiser is told why.
    page = html.unescape(send_again(client, lost).content.decode())
    assert "1 message still cannot be read" in page
    assert OutgoingMessage.objects.get(pk=lost.pk).status == Status.FAILED

    put_the_key_back(settings)
    page = html.unescape(send_again(client, lost).content.decode())
    assert "1 message is back in the queue." in page
    assert outbox.send_due() == 1
    [received] = smtp_server.to("bob@example.org")
    assert received["Subject"] == "Secret subject"


def test_a_viewer_cannot_send_it_again(settings, smtp_server, client):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    outbox.send_due()
    put_the_key_back(settings)
    ensure_roles()
    login_verified(client, make_staff("viewer", superuser=False, groups=[VIEWER]))
    send_again(client, lost)
    assert OutgoingMessage.objects.get(pk=lost.pk).status == Status.FAILED


def test_saving_it_keeps_what_was_stored_and_where_it_is_found(settings):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, body_text FROM mail_outgoingmessage")
        stored = cursor.fetchall()
    OutgoingMessage.objects.get(pk=lost.pk).save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, body_text FROM mail_outgoingmessage")
        assert cursor.fetchall() == stored
    assert list(OutgoingMessage.objects.involving(["bob@example.org"])) == [lost]
    put_the_key_back(settings)
    assert OutgoingMessage.objects.get(pk=lost.pk).subject == "Secret subject"


@pytest.fixture
def bob_on_his_privacy_page(settings, smtp_server, client):
    # Not sent yet: each reader copes with such a row whether the worker set it aside or not.
    bob, _ = Supporter.get_or_create_for_email("bob@example.org", name="Bob")
    queue_to("bob@example.org", subject="Please confirm")
    queue_with_a_key_that_then_goes(settings, "bob@example.org")
    token = flow.privacy_token(bob)
    assert client.post(reverse("supporters:privacy_open", args=[token])).status_code == 302
    return client


def test_the_privacy_page_and_the_download_list_it_and_say_it_cannot_be_read(
    bob_on_his_privacy_page,
):
    client = bob_on_his_privacy_page
    page = html.unescape(client.get(reverse("supporters:mine")).content.decode())
    assert "Please confirm" in page
    assert "(the subject of this e-mail can no longer be read)" in page
    data = json.loads(client.get(reverse("supporters:export")).content)
    assert [m["subject"] for m in data["messages"]] == [
        "Please confirm",
        "(the subject of this e-mail can no longer be read)",
    ]


def test_the_privacy_page_says_it_in_the_readers_language(bob_on_his_privacy_page):
    page = html.unescape(bob_on_his_privacy_page.get("/de/me/privacy/mine/").content.decode())
    assert "(der Betreff dieser E-Mail ist nicht mehr lesbar)" in page


def test_erasure_deletes_it_with_the_rest(bob_on_his_privacy_page):
    response = bob_on_his_privacy_page.post(reverse("supporters:erase"))
    assert response.status_code == 200
    assert not OutgoingMessage.objects.exists()
    assert not MessageAddress.objects.exists()
    assert not Supporter.objects.exists()


def test_it_goes_after_the_keep_time_like_any_failed_message(settings):
    lost = queue_with_a_key_that_then_goes(settings, "bob@example.org")
    OutgoingMessage.objects.filter(pk=lost.pk).update(
        status=Status.FAILED, created_at=timezone.now() - timedelta(days=31)
    )
    assert purge_old_mail() == 1
    assert not OutgoingMessage.objects.exists()
