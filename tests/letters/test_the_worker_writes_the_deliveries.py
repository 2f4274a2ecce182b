"""Confirming a letter only marks it confirmed; the worker's next sending run writes its
deliveries and the writer's copy, once, and checks the consent and the person then."""

from __future__ import annotations

import pytest
from django.urls import reverse

from picketline.letters import sending
from picketline.letters.models import Delivery, Letter, Role
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent
from tests.letters.helpers import confirm_url, form_data, letter_action, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(client):
    """A letter to two fixed recipients, sent with a copy asked for, and confirmed."""
    recipients = [
        target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY),
        target("Embassy of Belarus in Germany", "DE"),
    ]
    action = letter_action(fixed=recipients)
    client.post(reverse("letters:action", kwargs={"slug": action.slug}), form_data(send_copy="on"))
    letter = Letter.objects.get()
    assert client.post(confirm_url(letter)).status_code == 302
    letter.refresh_from_db()
    assert letter.confirmed_at is not None
    return letter


def copies() -> int:
    return OutgoingMessage.objects.filter(kind="letter-copy").count()


def test_confirming_writes_no_delivery_and_the_next_run_writes_each_once(confirmed):
    assert not Delivery.objects.exists()
    assert copies() == 0
    assert sending.write_confirmed_letters() == 1
    assert Delivery.objects.filter(letter=confirmed).count() == 2
    assert copies() == 1
    assert sending.write_confirmed_letters() == 0  # a second run (or worker) finds nothing
    assert Delivery.objects.count() == 2
    assert copies() == 1


def test_the_sending_run_writes_them_before_it_schedules(confirmed):
    sending.queue_due()
    assert Delivery.objects.filter(letter=confirmed).count() == 2


def test_a_consent_withdrawn_before_the_run_stops_the_letter(confirmed):
    consent = Consent.objects.for_action(confirmed).get(purpose=Consent.Purpose.SEND_IN_MY_NAME)
    consent.withdraw()
    assert sending.write_confirmed_letters() == 1
    assert not Delivery.objects.exists()
    assert copies() == 0


def test_a_person_erased_before_the_run_is_written_to_nobody(confirmed):
    confirmed.supporter.erase()
    assert sending.write_confirmed_letters() == 1
    assert not Delivery.objects.exists()
    assert copies() == 0


def test_the_privacy_data_names_the_recipients_while_the_letter_waits(confirmed):
    waiting = Letter.objects.get().personal_data()["recipients"]
    sending.write_confirmed_letters()
    written = Letter.objects.get().personal_data()["recipients"]
    assert sorted(waiting) == sorted(written)
    assert sorted(written) == ["Embassy of Belarus in Germany", "Federal Minister of Labour"]


def test_the_privacy_data_names_nobody_for_a_waiting_letter_whose_consent_was_withdrawn(
    confirmed,
):
    # The worker will write it to nobody: the data download says so already.
    consent = Consent.objects.for_action(confirmed).get(purpose=Consent.Purpose.SEND_IN_MY_NAME)
    consent.withdraw()
    assert Letter.objects.get().personal_data()["recipients"] == []
    sending.write_confirmed_letters()
    assert Letter.objects.get().personal_data()["recipients"] == []


def test_a_letter_that_cannot_be_written_holds_up_no_other(client, confirmed, monkeypatch):
    # A second letter to the same action, confirmed after the first.
    client.post(
        reverse("letters:action", kwargs={"slug": confirmed.action.slug}),
        form_data(email="second@example.org"),
    )
    second = Letter.objects.exclude(pk=confirmed.pk).get()
    assert client.post(confirm_url(second)).status_code == 302
    written_for = sending.letter_confirmed

    def fails_for_the_first(letter):
        if letter.pk == confirmed.pk:
            raise RuntimeError("a recipient's address cannot be read")
        return written_for(letter)

    monkeypatch.setattr(sending, "letter_confirmed", fails_for_the_first)
    assert sending.write_confirmed_letters() == 1
    assert Delivery.objects.filter(letter=second).count() == 2
    assert not Delivery.objects.filter(letter=confirmed).exists()
    confirmed.refresh_from_db()
    assert confirmed.deliveries_written_at is None  # left for the next run

    monkeypatch.setattr(sending, "letter_confirmed", written_for)
    assert sending.write_confirmed_letters() == 1
    assert Delivery.objects.filter(letter=confirmed).count() == 2
