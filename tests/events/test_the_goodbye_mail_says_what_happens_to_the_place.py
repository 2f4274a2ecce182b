"""The mail after cancelling says a place goes to the next person only to someone who had
one (a seat, or a seat offered); someone who only waited is told they left the waitlist."""

import pytest

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
