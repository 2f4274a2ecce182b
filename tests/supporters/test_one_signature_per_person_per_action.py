"""One signature per person per action: the same letter, endorsement or registration sent
again by the same address is stored once, counted once and reaches nobody twice; the page
answers as it does for any address, and the person learns it by mail."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from picketline.events.models import Registration
from picketline.letters import counters
from picketline.letters.models import Delivery, Letter, Role
from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import Endorsement, Status
from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter
from tests.events.helpers import messages_to, online_meeting
from tests.letters.helpers import confirm_url, form_data, letter_action, target
from tests.letters.test_letter_flow import send_everything

pytestmark = pytest.mark.django_db

ENDORSEMENT = {
    "name": "Private Contactperson",
    "email": "contact@union.example",
    "language": "en",
    "organisation": "Example Metalworkers",
    "org_country": "Germany",
    "kind": "union",
    "members": "12000",
    "statement": "We stand with our jailed colleagues.",
    "contact_role": "International secretary",
}


def minister_action():
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    return letter_action(fixed=[minister])


def letter_url(action) -> str:
    return reverse("letters:action", kwargs={"slug": action.slug})


def same_answer(first, second) -> None:
    """Two answers a visitor cannot tell apart."""
    assert first.status_code == second.status_code
    assert first.get("Location") == second.get("Location")
    assert first.content == second.content


def test_a_confirmed_writer_who_sends_the_letter_again_is_told_by_mail_and_counted_once(
    client, smtp_server
):
    action = minister_action()
    client.post(letter_url(action), form_data())
    client.post(confirm_url(Letter.objects.get()))

    again = client.post(letter_url(action), form_data(personal_paragraph="Once more"))
    stranger = client.post(letter_url(action), form_data(email="someone.new@example.net"))
    same_answer(again, stranger)
    page = client.get(again["Location"]).content.decode()
    assert "If this address has done the same before, the message says so instead" in page

    assert (
        Letter.objects.filter(supporter=Supporter.objects.for_email("anna@example.net")).count()
        == 1
    )
    assert counters.letters_for(action) == 1
    (told,) = messages_to("anna@example.net", "done-already")
    assert told.compose()
    assert "Release them" in told.subject
    assert "it counts once, and nobody receives it a second time" in told.body_text
    assert "it counts once, and nobody receives it a second time" in told.body_html
    # The person who writes for the first time gets the usual confirmation, nothing else.
    assert [m.kind for m in messages_to("someone.new@example.net")] == ["confirmation"]

    send_everything()
    assert len(smtp_server.to("federal.minister.of.labour@example.org")) == 1
    assert Delivery.objects.count() == 1


def test_sending_the_letter_again_before_confirming_sends_the_same_confirmation_again(client):
    action = minister_action()
    client.post(letter_url(action), form_data())
    client.post(letter_url(action), form_data(personal_paragraph="Second thoughts"))
    (letter,) = Letter.objects.all()
    confirmations = messages_to("anna@example.net", "confirmation")
    assert len(confirmations) == 2
    assert {m.compose_ref for m in confirmations} == {f"letters.letter:{letter.pk}"}
    assert not messages_to("anna@example.net", "done-already")


def test_another_letter_action_is_another_signature(client):
    first, second = minister_action(), letter_action(slug="second", fixed=[])
    second.fixed_targets.set(first.fixed_targets.all())
    client.post(letter_url(first), form_data())
    client.post(letter_url(second), form_data())
    assert Letter.objects.count() == 2


def test_of_two_unconfirmed_copies_only_the_first_confirmed_counts(client, smtp_server):
    """Copies made before forms refused a repeat: the second link confirms nothing more."""
    action = minister_action()
    supporter, _ = Supporter.get_or_create_for_email("anna@example.net", name="Anna Schmidt")
    copies = []
    for _ in range(2):
        letter = Letter.objects.create(action=action, supporter=supporter, country="DE")
        Consent.record(
            supporter,
            Consent.Purpose.SEND_IN_MY_NAME,
            "Send this in my name to the recipients shown.",
            "en",
            "/en/letters/",
            action=letter,
        )
        copies.append(letter)
    first = client.post(confirm_url(copies[1]))
    second = client.post(confirm_url(copies[0]))
    assert first["Location"] == "/en/letters/release/confirmed/"
    assert second["Location"] == "/en/letters/release/confirmed/already/"
    assert list(Letter.objects.values_list("pk", flat=True)) == [copies[1].pk]
    assert not Consent.objects.for_action(copies[0]).exists()
    assert counters.letters_for(action) == 1
    send_everything()
    assert len(smtp_server.to("federal.minister.of.labour@example.org")) == 1


def test_the_same_organisation_endorses_once_per_person_in_any_case(client):
    client.post("/en/submit/endorse/", ENDORSEMENT)
    endorsement = Endorsement.objects.get()
    endorsement.confirm()

    again = client.post(
        "/en/submit/endorse/", {**ENDORSEMENT, "organisation": "  example   METALWORKERS "}
    )
    stranger = client.post("/en/submit/endorse/", {**ENDORSEMENT, "email": "new@union.example"})
    same_answer(again, stranger)
    assert "the message says so instead" in client.get(again["Location"]).content.decode()
    assert Endorsement.objects.filter(supporter=endorsement.supporter).count() == 1
    (told,) = messages_to("contact@union.example", "done-already")
    assert told.compose() and "Example Metalworkers" in told.subject

    # Another organisation by the same person is another endorsement.
    client.post("/en/submit/endorse/", {**ENDORSEMENT, "organisation": "Example Federation"})
    assert Endorsement.objects.filter(supporter=endorsement.supporter).count() == 2


def test_cyrillic_names_compare_alike_in_any_case(client):
    client.post("/en/submit/endorse/", {**ENDORSEMENT, "organisation": "Профсоюз РЭП"})
    Endorsement.objects.get().confirm()
    client.post("/en/submit/endorse/", {**ENDORSEMENT, "organisation": "ПРОФСОЮЗ рэп"})
    assert Endorsement.objects.count() == 1
    assert len(messages_to("contact@union.example", "done-already")) == 1


def test_an_endorsement_turned_down_may_be_sent_again(client):
    client.post("/en/submit/endorse/", ENDORSEMENT)
    endorsement = Endorsement.objects.get()
    endorsement.confirm()
    Endorsement.objects.filter(pk=endorsement.pk).update(status=Status.REJECTED)
    client.post("/en/submit/endorse/", ENDORSEMENT)
    assert Endorsement.objects.count() == 2


def test_the_api_endorses_once_per_person_and_organisation(client):
    body = {
        "name": "Kari Nordmann",
        "email": "contact@union.example",
        "organisation": "Example Metalworkers",
        "org_country": "Norway",
        "kind": "union",
    }
    post = lambda: client.post(  # noqa: E731
        "/api/v1/endorsements", body, content_type="application/json"
    )
    assert post().status_code == 202
    Endorsement.objects.get().confirm()
    assert post().status_code == 202
    assert Endorsement.objects.count() == 1
    assert len(messages_to("contact@union.example", "done-already")) == 1


def test_a_second_registration_is_refused_with_the_same_page_for_any_address(client):
    online_meeting()
    form = {
        "name": "Ana Example",
        "email": "ana@example.org",
        "country": "Germany",
        "language": "en",
        "time_zone": "Europe/Berlin",
        "website": "",
    }
    client.post("/en/events/meeting/", form)
    Registration.objects.get().confirm()
    again = client.post("/en/events/meeting/", form)
    stranger = client.post("/en/events/meeting/", {**form, "email": "new@example.org"})
    same_answer(again, stranger)
    assert (
        Registration.objects.filter(
            supporter=Supporter.objects.for_email("ana@example.org")
        ).count()
        == 1
    )
    assert len(messages_to("ana@example.org", "event-already-registered")) == 1


def test_the_done_already_mail_is_not_written_for_an_erased_person(client):
    action = minister_action()
    client.post(letter_url(action), form_data())
    letter = Letter.objects.get()
    letter.confirm()
    client.post(letter_url(action), form_data())
    (told,) = messages_to("anna@example.net", "done-already")
    Letter.objects.filter(pk=letter.pk).update(supporter=None)
    told = OutgoingMessage.objects.get(pk=told.pk)
    assert not flow.compose_done_already(told)


def reads_by_key(queries, table: str) -> list[str]:
    """SELECTs of one row of ``table`` by its key: a field the first query left out."""
    by_key = re.compile(rf'WHERE "{table}"\."id" = \d+')
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and by_key.search(q["sql"])]


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_letter_sent_again_reads_the_earlier_one_in_one_query(client, confirmed):
    action = minister_action()
    client.post(letter_url(action), form_data())
    if confirmed:
        Letter.objects.get().confirm()
    with CaptureQueriesContext(connection) as queries:
        client.post(letter_url(action), form_data(personal_paragraph="Once more"))
    assert not reads_by_key(queries, "letters_letter")
    assert not reads_by_key(queries, "supporters_supporter")
    kind = "done-already" if confirmed else "confirmation"
    assert len(messages_to("anna@example.net", kind)) == (1 if confirmed else 2)


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_registration_sent_again_reads_the_earlier_one_in_one_query(client, confirmed):
    online_meeting()
    form = {
        "name": "Ana Example",
        "email": "ana@example.org",
        "language": "en",
        "time_zone": "Europe/Berlin",
        "website": "",
    }
    client.post("/en/events/meeting/", form)
    if confirmed:
        Registration.objects.get().confirm()
    with CaptureQueriesContext(connection) as queries:
        client.post("/en/events/meeting/", form)
    assert not reads_by_key(queries, "events_registration")
    assert not reads_by_key(queries, "supporters_supporter")
    if confirmed:
        assert len(messages_to("ana@example.org", "event-already-registered")) == 1
    else:
        assert len(messages_to("ana@example.org", "confirmation")) == 2
