"""A person erased, or their consent to send in their name withdrawn, while the worker writes
their confirmed letter's deliveries: the stopping or withdrawal waits for the worker and cancels
what it wrote, so nothing goes in the person's name."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from picketline.letters import sending
from picketline.letters.models import Delivery, Letter, Role
from picketline.supporters.models import Consent, Supporter
from tests.letters.helpers import confirm_url, form_data, letter_action, target

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def erase() -> None:
    Supporter.objects.get().erase()


def withdraw() -> None:
    Consent.objects.get(purpose=Consent.Purpose.SEND_IN_MY_NAME).withdraw()


@pytest.mark.parametrize("stop", [erase, withdraw])
def test_a_stop_during_the_run_cancels_the_deliveries_it_wrote(client, monkeypatch, stop):
    assert connection.vendor == "postgresql"
    action = letter_action(fixed=[target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)])
    client.post(reverse("letters:action", kwargs={"slug": action.slug}), form_data())
    letter = Letter.objects.get()
    assert client.post(confirm_url(letter)).status_code == 302

    written, go_on = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    write = sending.letter_confirmed

    def write_then_wait(letter: Letter):
        targets = write(letter)
        written.set()  # the deliveries are written, not committed yet
        go_on.wait(timeout=10)
        return targets

    monkeypatch.setattr(sending, "letter_confirmed", write_then_wait)

    def in_thread(job):
        def run() -> None:
            try:
                job()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    worker = in_thread(sending.write_confirmed_letters)
    worker.start()
    assert written.wait(timeout=10)
    stopping = in_thread(stop)
    stopping.start()
    stopping.join(timeout=1)  # it runs into the worker's lock on the letter
    go_on.set()
    worker.join(timeout=30)
    stopping.join(timeout=30)
    assert errors == []
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert statuses == {Delivery.Status.CANCELLED}
