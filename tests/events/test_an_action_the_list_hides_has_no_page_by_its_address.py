"""An action supporters hold in a country marked as dangerous (also one marked after the action
was published) is not listed: the proposal form says "we list no action there". Its address does
not reach it either: its page, calendar file, share card, the pages around registering and a
partner's embed answer as for an event that does not exist (the API: tests/api/
test_an_event_the_list_hides_is_not_found.py). Those already registered keep what is theirs:
their own page and calendar file through the link in their mails, and confirming still works,
leading to a page that names no action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from picketline.events.models import Event, Registration
from picketline.partners.models import Partner
from picketline.supporters import embed, flow
from picketline.supporters.models import DangerousCountry
from tests.events.helpers import (
    confirmed_registration,
    hosted_action,
    registration_for,
    street_action,
)

pytestmark = pytest.mark.django_db

TITLE = "Vigil in Gdansk"
PLACE = "By the shipyard gate"


def held_in_poland() -> Event:
    hosted = hosted_action(
        title=TITLE,
        country="PL",
        city="Gdansk",
        place=PLACE,
        starts_at=datetime(2030, 4, 19, 10, tzinfo=UTC),
        ends_at=datetime(2030, 4, 19, 11, tzinfo=UTC),
    )
    hosted.confirm()
    return hosted.approve()


def mark_poland(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the content version changes
        DangerousCountry.objects.create(code="PL")


def public_addresses(slug: str) -> list[str]:
    return [
        f"/en/events/{slug}/",
        f"/en/events/{slug}/calendar.ics",
        f"/en/events/{slug}/card.png",
        f"/en/events/{slug}/check-your-mail/",
        f"/en/events/{slug}/confirmed/",
        f"/en/events/{slug}/confirmed/already/",
        f"/en/embed/etuc/events/{slug}/",
    ]


def confirm_link(registration: Registration) -> str:
    with translation.override("en"):
        token = flow.action_token(registration, flow.CONFIRM)
        return reverse("supporters:confirm", kwargs={"token": token})


@pytest.fixture
def etuc() -> Partner:
    return Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")


def test_its_address_answers_as_for_no_event(client, etuc, django_capture_on_commit_callbacks):
    event = held_in_poland()
    for path in public_addresses(event.slug):
        assert client.get(path).status_code == 200, path  # while Poland is not marked

    mark_poland(django_capture_on_commit_callbacks)
    for path, unknown in zip(
        public_addresses(event.slug), public_addresses("no-such-event"), strict=True
    ):
        response, nothing = Client().get(path), Client().get(unknown)  # the same page
        assert response.status_code == 404, path
        assert TITLE not in response.content.decode() and PLACE not in response.content.decode()
        # The same page but for the address it names (in the links to other languages).
        same = response.content.replace(event.slug.encode(), b"no-such-event")
        assert same == nothing.content, path
    registering = Client().post(
        f"/en/events/{event.slug}/", {"name": "Ola", "email": "ola@example.org"}
    )
    assert registering.status_code == 404
    assert not Registration.objects.exists()
    offered = [e.kwargs.get("slug") for e in embed.embeddable_actions()]
    assert event.slug not in offered


def test_those_registered_keep_their_own_page_and_calendar(django_capture_on_commit_callbacks):
    event = held_in_poland()
    registration = confirmed_registration(event, "ola@example.org")
    waiting = registration_for(event, "ben@example.org")
    mark_poland(django_capture_on_commit_callbacks)

    own = Client().get(reverse("events:mine", args=[registration.token()]))
    assert own.status_code == 200
    assert TITLE in own.content.decode() and PLACE in own.content.decode()
    ics = Client().get(reverse("events:my_ics", args=[registration.token()]))
    assert ics.status_code == 200 and TITLE in ics.content.decode()

    # Confirming after the country was marked leads to the page that names no action.
    confirmed = Client().post(confirm_link(waiting))
    assert confirmed["Location"] == reverse("supporters:confirmed")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    after = Client().get(confirmed["Location"])
    assert after.status_code == 200 and TITLE not in after.content.decode()


def test_an_event_knows_whether_it_is_listed_as_the_list_does(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    """``Event.is_listed`` (asked on every confirmation of a registration) agrees with
    ``EventQuerySet.listed``, and asks the database nothing for an event outside a marked
    country once the marked countries are kept."""
    hosted = held_in_poland()
    meeting = street_action()
    DangerousCountry.objects.codes()  # kept, as on any busy site
    with django_assert_num_queries(0):
        assert hosted.is_listed() and meeting.is_listed()
    mark_poland(django_capture_on_commit_callbacks)
    meeting.country = "PL"  # an event of the organisers' own there stays listed
    Event.objects.filter(pk=meeting.pk).update(country="PL")
    for event in (hosted, meeting):
        assert event.is_listed() == Event.objects.listed().filter(pk=event.pk).exists()
    assert not hosted.is_listed() and meeting.is_listed()
    hosted.published = False
    assert not hosted.is_listed()
