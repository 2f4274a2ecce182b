"""A confirmation link reads its action in one query (``flow.resolve_action_token``), and only
what its page or its POST uses (``fields_shown_with_link``, ``fields_loaded_to_confirm``): the
page's query holds nothing of the person, and no field left out is read afterwards in a query of
its own (which would cost more than the columns it saved)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from picketline.dashboard import counting
from picketline.dashboard.models import DailyCount
from picketline.events.models import Registration
from picketline.letters.models import Letter
from picketline.submissions.models import VideoMessage
from picketline.supporters import flow
from picketline.supporters.models import ConfirmableAction, Supporter
from tests.events.helpers import messages_to, registration_for, street_action
from tests.letters.helpers import embassy_action, target
from tests.submissions.helpers import make_video_message

pytestmark = pytest.mark.django_db


def a_letter() -> Letter:
    target("Embassy in Berlin", "DE")
    supporter, _ = Supporter.get_or_create_for_email(
        "ana@example.org", name="Ana Example", country="DE"
    )
    return Letter.objects.create(
        action=embassy_action(), supporter=supporter, country="DE", language="en", role="nurse"
    )


def a_registration() -> Registration:
    Supporter.get_or_create_for_email("ben@example.org", name="Ben", country="PL")
    event = street_action(registration_required=True, capacity=10)
    return registration_for(event, "ben@example.org", organisation="Ver.di")


def a_video() -> VideoMessage:
    supporter, _ = Supporter.get_or_create_for_email("cy@example.org", name="Cy", country="LT")
    return make_video_message(supporter=supporter)


KINDS: dict[str, Callable[[], ConfirmableAction]] = {
    "letter": a_letter,
    "registration": a_registration,
    "video": a_video,
}
# The country each is counted under once confirmed: the letter's, or its supporter's.
COUNTRIES = {"letter": "DE", "registration": "PL", "video": "LT"}


def link(action: ConfirmableAction, language: str = "en") -> str:
    with translation.override(language):
        token = flow.action_token(action, flow.CONFIRM)
        return reverse("supporters:confirm", kwargs={"token": token})


def reads_of_row(queries: CaptureQueriesContext, model: type) -> list[str]:
    """The SELECTs that read one row of ``model`` by its key."""
    table = model._meta.db_table
    by_key = re.compile(rf'"{table}"\."id" = \d+')
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
        if by_key.search(q["sql"])
    ]


def selects_from(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    ]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_page_reads_the_action_once_and_nothing_of_the_person(kind, language):
    action = KINDS[kind]()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(link(action, language))
    assert response.status_code == 200
    with translation.override(language):
        summary = escape(action.confirmation_subject())  # the recipients, the event's title…
    assert summary in response.content.decode()
    (read,) = reads_of_row(queries, type(action))
    assert "supporters_supporter" not in read
    for personal in ("organisation", "role", "text", "email"):
        assert f'."{personal}"' not in read
    # The related row came with it (the letter's action: its title and recipients).
    assert not selects_from(queries, "letters_letteraction")
    assert not selects_from(queries, "events_event")


def test_a_letters_page_finds_its_recipients_again_without_reading_its_action_again():
    letter = a_letter()
    path = link(letter)
    Client().get(path)
    from django.core.cache import cache

    cache.clear()  # the recipients kept for the action's country and the stored page expire
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(path).content.decode()
    assert "Embassy in Berlin" in page
    assert len(reads_of_row(queries, Letter)) == 1
    assert not selects_from(queries, "letters_letteraction")


@pytest.mark.parametrize("kind", KINDS)
def test_confirming_reads_the_action_and_its_supporter_once(kind):
    action = KINDS[kind]()
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(link(action))
    assert response.status_code == 302
    assert len(reads_of_row(queries, type(action))) == 1
    assert not selects_from(queries, "supporters_supporter")
    assert not selects_from(queries, "letters_letteraction")
    action.refresh_from_db()
    assert action.confirmed_at is not None
    assert action.supporter.confirmed_at is not None
    counting.fold()
    counted = DailyCount.objects.get(
        dimension="country", value=COUNTRIES[kind], kind=action._meta.label_lower
    )
    assert counted.confirmed == 1


def test_confirming_leads_to_the_letters_own_page():
    letter = a_letter()
    response = Client().post(link(letter))
    slug = letter.action.slug
    assert response["Location"] == reverse("letters:confirmed", kwargs={"slug": slug})


def test_confirming_a_registration_gives_a_seat_and_mails_the_registrant():
    registration = a_registration()
    response = Client().post(link(registration))
    slug = registration.event.slug
    assert response["Location"] == reverse("events:confirmed", kwargs={"slug": slug})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    (mail,) = messages_to("ben@example.org", "event-seat-given")
    assert registration.event.title in mail.subject + mail.body_text
