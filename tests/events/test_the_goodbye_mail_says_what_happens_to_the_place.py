"""The mail after cancelling says a place goes to the next person only to someone who had
one (a seat, or a seat offered) at an event with a limit; someone who only waited is told they
left the waitlist; at an event without a limit nobody waits, and neither the mail nor the page
that asks before cancelling speaks of a waitlist."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from picketline.events.models import Registration
from tests.events.helpers import confirmed_registration, messages_to, online_meeting

pytestmark = pytest.mark.django_db
PLACE_GOES = "your place goes to someone on the waitlist"


def goodbye(address: str) -> str:
    (mail,) = messages_to(address, "event-cancelled")
    return mail.body_text + mail.body_html


def test_a_seat_holder_is_told_their_place_goes_on():
    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    confirmed_registration(event, "waiting@example.org")
    seated.cancel()
    assert PLACE_GOES in goodbye("seated@example.org")


def test_someone_offered_a_seat_is_told_it_goes_on():
    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    waiting = confirmed_registration(event, "waiting@example.org")
    seated.cancel()
    offered = Registration.objects.get(pk=waiting.pk)
    assert offered.status == Registration.Status.OFFERED
    offered.cancel()
    assert PLACE_GOES in goodbye("waiting@example.org")


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("en", "you are no longer on the waitlist", PLACE_GOES),
        ("ru", "вы больше не в листе ожидания", "ваше место получит"),
        ("be", "вы больш не ў спісе чакання", "ваша месца атрымае"),
        ("de", "Sie stehen nicht mehr auf der Warteliste", "Ihr Platz geht"),
    ],
)
def test_someone_who_only_waited_is_told_they_left_the_waitlist(language, said, not_said):
    event = online_meeting(capacity=1)
    confirmed_registration(event, "seated@example.org")
    waiting = confirmed_registration(event, "waiting@example.org", language=language)
    assert waiting.status == Registration.Status.WAITLISTED
    waiting.cancel()
    text = goodbye("waiting@example.org")
    assert said in text and not_said not in text


def test_a_lapsed_offer_claims_no_next_person_when_nobody_waits():
    from datetime import timedelta

    from django.utils import timezone

    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    waiting = confirmed_registration(event, "waiting@example.org")
    seated.cancel()
    Registration.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert event.lapse_expired_offers() == 1
    # Nobody else waits: the seat goes to no one, and the mail does not say it did.
    assert not Registration.objects.filter(status=Registration.Status.OFFERED).exists()
    (mail,) = messages_to("waiting@example.org", "event-offer-lapsed")
    for text in (mail.subject, mail.body_text, mail.body_html):
        assert "next person" not in text and "end of the waitlist" not in text
    assert "no longer held for you" in mail.body_text
    assert "register again" in mail.body_text


def cancel_page(client: Client, registration: Registration) -> str:
    return client.get(urlsplit(registration.cancel_url()).path).content.decode()


def test_at_an_event_without_a_limit_nobody_is_told_of_a_waitlist(client):
    event = online_meeting(capacity=None)
    registration = confirmed_registration(event, "open@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    page = cancel_page(client, registration)
    assert "Yes, cancel my registration" in page and "waitlist" not in page
    registration.cancel()
    text = goodbye("open@example.org")
    assert "is cancelled. Thank you for letting us know." in text
    assert "waitlist" not in text


def test_someone_waiting_is_told_before_cancelling_that_they_leave_the_waitlist(client):
    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    waiting = confirmed_registration(event, "waiting@example.org")
    assert "Your place goes to the next person on the waitlist." in cancel_page(client, seated)
    page = cancel_page(client, waiting)
    assert "You leave the waitlist." in page and "Your place goes" not in page
