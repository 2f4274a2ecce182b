"""Erasure removes a writer's letters from the outbox, sent or not, single or in a digest,
and keeps them counted."""

import pytest

from picketline.letters import counters, sending
from picketline.letters.models import Delivery, Digest, LetterAction, Role
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db


def outbox_text() -> str:
    return "\n".join(
        f"{m.from_email}\n{m.reply_to}\n{m.subject}\n{m.body_text}"
        for m in OutgoingMessage.objects.all()
    )


def mark_sent(message_id: int) -> None:
    OutgoingMessage.objects.filter(pk=message_id).update(status=OutgoingMessage.Status.SENT)


def test_a_sent_letter_and_an_unsent_one_leave_the_outbox_and_stay_counted():
    first = target("Ministry One", "DE", Role.LABOUR_MINISTRY)
    second = target("Ministry Two", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[first, second])
    letter = confirmed_letter(action, email="anna@example.net", name="Anna Schmidt")
    sending.queue_due()
    mark_sent(Delivery.objects.get(target=first).message_id)
    assert "Anna Schmidt" in outbox_text()

    letter.supporter.erase()

    assert "Anna Schmidt" not in outbox_text()
    assert not OutgoingMessage.objects.filter(kind="letter").exists()
    statuses = dict(Delivery.objects.values_list("target_id", "status"))
    # the letter that went stays counted; the one that had not gone never will
    assert statuses == {first.pk: Delivery.Status.QUEUED, second.pk: Delivery.Status.CANCELLED}
    assert counters.letters_for(action) == 1
    assert sending.queue_due() == 0


def digest_action() -> LetterAction:
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    return letter_action(fixed=[ministry], sending_policy=LetterAction.SendingPolicy.DIGEST)


def test_an_unsent_digest_is_written_again_without_the_erased_writer():
    action = digest_action()
    erased = confirmed_letter(action, email="anna@example.net", name="Anna Schmidt")
    confirmed_letter(action, email="bo@example.net", name="Bo Keller")
    assert sending.send_digests() == 1
    assert "Anna Schmidt" in outbox_text() and "Bo Keller" in outbox_text()

    erased.supporter.erase()

    assert "Anna Schmidt" not in outbox_text()
    assert not Digest.objects.exists()
    assert Delivery.objects.get(letter=erased).status == Delivery.Status.CANCELLED
    assert sending.send_digests() == 1
    digest = OutgoingMessage.objects.get(kind="letter-digest")
    assert "Bo Keller" in digest.body_text and "Anna Schmidt" not in digest.body_text
    assert Digest.objects.get().letters == 1


def test_a_sent_digest_loses_its_stored_copy_and_its_letters_stay_counted():
    action = digest_action()
    erased = confirmed_letter(action, email="anna@example.net", name="Anna Schmidt")
    other = confirmed_letter(action, email="bo@example.net", name="Bo Keller")
    sending.send_digests()
    mark_sent(Digest.objects.get().message_id)

    erased.supporter.erase()

    assert not OutgoingMessage.objects.filter(kind="letter-digest").exists()
    assert Digest.objects.get().letters == 2
    assert Delivery.objects.get(letter=other).status == Delivery.Status.DIGESTED
    assert Delivery.objects.get(letter=erased).status == Delivery.Status.DIGESTED
    assert sending.send_digests() == 0
