from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from picketline.events.models import Event, Registration
from picketline.supporters.models import DangerousCountry
from tests.events.helpers import (
    JOIN_URL,
    confirmed_registration,
    link_in,
    messages_to,
    online_meeting,
    registration_for,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Ana Example",
    "email": "ana@example.org",
    "country": "Germany",
    "language": "ru",
    "organisation": "IG Metall",
    "interpretation_needs": "into Russian",
    "accessibility_needs": "captions",
    "time_zone": "America/New_York",
    "website": "",
}


def register_and_confirm(client: Client, data: dict | None = None) -> Registration:
    response = client.post("/en/events/meeting/", data or FORM)
    assert response.status_code == 302
    assert response["Location"] == "/en/events/meeting/check-your-mail/"
    (confirmation,) = messages_to((data or FORM)["email"], "confirmation")
    confirm_path = link_in(confirmation, "/confirm/")
    page = client.get(confirm_path)
    assert page.status_code == 200 and b"<form" in page.content
    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302 and confirmed["Location"].endswith("/meeting/confirmed/")
    return Registration.objects.get()


def test_it_registers_with_the_form_and_confirms_by_email(client: Client):
    online_meeting()
    registration = register_and_confirm(client)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.seat == 1
    assert registration.organisation == "IG Metall"
    assert registration.language == "ru"
    assert registration.supporter.country == "DE"
    assert registration.time_zone == "America/New_York"


def test_it_sends_the_join_link_and_calendar_only_after_confirmation(client: Client):
    online_meeting()
    client.post("/en/events/meeting/", FORM)
    (confirmation,) = messages_to(FORM["email"])
    assert JOIN_URL not in confirmation.body_text
    client.post(link_in(confirmation, "/confirm/"))
    (seat,) = messages_to(FORM["email"], "event-seat-given")
    assert JOIN_URL in seat.body_text and JOIN_URL in seat.body_html
    # in the registrant's language and zone
    assert seat.language == "ru"
    assert "(время: Нью-Йорк, UTC-4)" in seat.body_text
    (ics,) = seat.attachment_list()
    assert ics.filename == "meeting.ics" and ics.mimetype == "text/calendar"
    item = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert JOIN_URL in str(item["description"])
    assert "calendar.google.com" in seat.body_text


def test_it_shows_the_join_link_on_the_registrants_own_page_only(client: Client):
    online_meeting()
    register_and_confirm(client)
    (seat,) = messages_to(FORM["email"], "event-seat-given")
    mine = client.get(link_in(seat, "/events/r/"))
    assert mine.status_code == 200
    assert JOIN_URL in mine.content.decode()
    assert mine["Cache-Control"].startswith("max-age=0")
    assert JOIN_URL not in client.get("/en/events/meeting/").content.decode()


def test_it_refuses_a_forged_personal_link(client: Client):
    online_meeting()
    register_and_confirm(client)
    (seat,) = messages_to(FORM["email"], "event-seat-given")
    path = link_in(seat, "/events/r/")
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/en/events/r/1/").status_code == 404


def test_it_does_not_register_anyone_twice(client: Client):
    online_meeting()
    register_and_confirm(client)
    client.post("/en/events/meeting/", FORM)
    assert Registration.objects.count() == 1
    assert len(messages_to(FORM["email"], "event-already-registered")) == 1


def test_it_pretends_to_accept_a_bot(client: Client):
    online_meeting()
    response = client.post("/en/events/meeting/", {**FORM, "website": "spam"})
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_it_shows_errors_in_the_form(client: Client):
    online_meeting()
    response = client.post("/en/events/meeting/", {**FORM, "email": "nope"})
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_it_refuses_registration_once_closed(client: Client):
    online_meeting(registration_closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get("/en/events/meeting/").content.decode()
    assert "Registration is closed." in page and 'name="email"' not in page
    assert client.post("/en/events/meeting/", FORM).status_code == 409


def test_it_puts_people_on_the_waitlist_when_full(client: Client):
    event = online_meeting(capacity=1)
    first = confirmed_registration(event, "a@example.org")
    second = confirmed_registration(event, "b@example.org")
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITLISTED
    (mail,) = messages_to("b@example.org", "event-waitlisted")
    assert "number 1" in mail.body_text
    assert JOIN_URL not in mail.body_text
    page = client.get("/en/events/meeting/").content.decode()
    assert "you join the waitlist" in page


def test_it_offers_a_freed_seat_to_the_next_in_line_for_a_limited_time(client: Client):
    event = online_meeting(capacity=1)
    first = confirmed_registration(event, "a@example.org")
    second = confirmed_registration(event, "b@example.org")
    third = confirmed_registration(event, "c@example.org")
    first.cancel()
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.OFFERED and second.seat == 1
    assert second.offer_expires_at is not None
    assert third.status == Registration.Status.WAITLISTED
    (offer,) = messages_to("b@example.org", "event-seat-offered")
    assert JOIN_URL not in offer.body_text
    personal = link_in(offer, "/events/r/")
    assert "Take the place" in client.get(personal).content.decode()
    client.post(personal + "accept/")
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert JOIN_URL in messages_to("b@example.org", "event-seat-given")[0].body_text


def test_it_passes_a_lapsed_offer_to_the_next(client: Client):
    from picketline.events.jobs import lapse_expired_offers

    event = online_meeting(capacity=1)
    first = confirmed_registration(event, "a@example.org")
    second = confirmed_registration(event, "b@example.org")
    third = confirmed_registration(event, "c@example.org")
    first.cancel()
    second.refresh_from_db()
    assert lapse_expired_offers(second.offer_expires_at - timedelta(seconds=1)) == 0
    assert lapse_expired_offers(second.offer_expires_at) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.LAPSED and second.seat is None
    assert third.status == Registration.Status.OFFERED and third.seat == 1
    assert second.accept_offer() is False
    (lapsed,) = messages_to("b@example.org", "event-offer-lapsed")
    assert "register again" in lapsed.body_text


def test_it_cancels_only_when_the_button_is_pressed(client: Client):
    online_meeting()
    register_and_confirm(client)
    (seat,) = messages_to(FORM["email"], "event-seat-given")
    cancel = link_in(seat, "/cancel/")
    # The mail promises no "one click": the link leads to a page that asks first.
    assert f"Не сможете прийти? Отмените регистрацию: http://testserver{cancel}" in seat.body_text
    page = client.get(cancel)
    # the link opens in the registrant's language
    assert page.status_code == 200 and "Да, отменить мою регистрацию" in page.content.decode()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert client.post(cancel).status_code == 200
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CANCELLED and registration.seat is None
    (mail,) = messages_to(FORM["email"], "event-cancelled")
    item = Calendar.from_ical(mail.attachment_list()[0].content)
    assert str(item["method"]) == "CANCEL"
    # the join link is gone from their page
    assert JOIN_URL not in client.get(link_in(seat, "/events/r/")).content.decode()


def test_it_keeps_unconfirmed_registrations_off_the_seats():
    event = online_meeting(capacity=1)
    registration_for(event, "a@example.org")
    confirmed = confirmed_registration(event, "b@example.org")
    assert confirmed.status == Registration.Status.CONFIRMED


def test_erasure_cancels_the_registration_and_offers_the_seat_to_the_next(client: Client):
    event = online_meeting(capacity=1)
    erased = confirmed_registration(
        event, "a@example.org", organisation="Union", accessibility_needs="ramp"
    )
    waiting = confirmed_registration(event, "b@example.org")
    (seat,) = messages_to("a@example.org", "event-seat-given")
    personal = link_in(seat, "/events/r/")
    cancel = link_in(seat, "/cancel/")
    assert JOIN_URL in client.get(personal).content.decode()

    erased.supporter.erase()

    erased.refresh_from_db()
    assert erased.supporter is None
    assert erased.organisation == "" and erased.accessibility_needs == ""
    assert erased.status == Registration.Status.CANCELLED and erased.seat is None
    # still counted among the registrations, no longer among those attending
    assert event.registrations.count() == 2
    assert event.registrations.attending().count() == 0
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED and waiting.seat == 1
    assert messages_to("b@example.org", "event-seat-offered")
    # no goodbye mail to the erased address, and every link of theirs is dead
    assert messages_to("a@example.org") == []
    for path in (personal, cancel, personal + "calendar.ics"):
        response = client.get(path)
        assert response.status_code == 404
        assert JOIN_URL not in response.content.decode()


def test_it_slows_down_a_flood_for_one_address(client: Client):
    online_meeting()
    statuses = [client.post("/en/events/meeting/", FORM).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert Registration.objects.count() == 1


def test_the_check_your_mail_page_of_a_full_event_speaks_of_the_waitlist(client: Client):
    online_meeting(capacity=1)
    register_and_confirm(client)
    response = client.post("/en/events/meeting/", {**FORM, "email": "second@example.org"})
    page = client.get(response["Location"]).content.decode()
    assert "you are on the waitlist" in page
    assert "confirm your registration" not in page


def test_the_check_your_mail_page_of_an_open_event_speaks_of_the_registration(client: Client):
    online_meeting()
    response = client.post("/en/events/meeting/", FORM)
    page = client.get(response["Location"]).content.decode()
    assert "confirm your registration" in page


def test_an_event_with_a_limit_gives_a_freed_seat_number_again():
    event = online_meeting(capacity=3)
    first, second, _third = (
        confirmed_registration(event, f"seat{i}@example.org") for i in range(3)
    )
    assert [first.seat, second.seat] == [1, 2]
    Registration.objects.filter(pk=second.pk).update(seat=None, status="cancelled")
    assert confirmed_registration(event, "late@example.org").seat == 2


def test_an_event_without_a_limit_numbers_the_next_seat_after_the_highest(
    django_assert_max_num_queries,
):
    event = online_meeting(capacity=None)
    seats = [confirmed_registration(event, f"seat{i}@example.org").seat for i in range(4)]
    assert seats == [1, 2, 3, 4]
    Registration.objects.filter(seat=2).update(seat=None, status="cancelled")
    # Read from the index in one statement, not one row per seat held.
    with django_assert_max_num_queries(1):
        assert event._seats_question() == (5, None)
    assert confirmed_registration(event, "late@example.org").seat == 5


def lowest_free_seat(capacity: int | None, held: set[int]) -> int | None:
    """What the seats question answers, the slow way: with a limit, the lowest number nobody
    holds while fewer than ``capacity`` are held; without one, the one after the highest."""
    if capacity is None:
        return max(held, default=0) + 1
    if len(held) >= capacity:
        return None
    return min(n for n in range(1, len(held) + 2) if n not in held)


def holding(event: Event, seats: set[int], status: str = Registration.Status.CONFIRMED) -> None:
    Registration.objects.bulk_create(
        Registration(event=event, status=status, seat=seat) for seat in sorted(seats)
    )


@pytest.mark.parametrize(
    ("capacity", "held", "expected"),
    [
        (5, set(), 1),
        (5, {1, 2, 3}, 4),  # no gap: after the highest
        (5, {2, 3}, 1),  # the first seat was given up
        (5, {1, 2, 4}, 3),  # a seat in the middle was given up
        (10, {1, 2, 3, 7, 8}, 4),
        (5, {1, 3, 5}, 2),
        (3, {1, 2, 3}, None),  # full
        (3, {1, 2, 4, 5}, None),  # the organiser lowered the limit: still full, gap or not
        (3, {2, 5}, 1),
        (None, set(), 1),
        (None, {1, 2, 4}, 5),  # without a limit, numbers only name the seats
        (None, {3}, 4),
    ],
)
def test_the_seats_question_gives_the_lowest_free_number_or_none_when_full(
    capacity, held, expected, django_assert_num_queries
):
    event = online_meeting(capacity=capacity)
    other = online_meeting(slug="other", capacity=capacity)
    holding(other, {1, 2, 3, 4, 5, 6})  # another event's seats are not this one's
    holding(event, held)
    assert lowest_free_seat(capacity, held) == expected
    with django_assert_num_queries(1):
        assert event._seats_question() == (expected, None)


def test_the_seats_question_agrees_with_the_slow_way_on_random_seats():
    import random

    picks = random.Random(17)
    event = online_meeting(capacity=None)
    for _ in range(25):
        Registration.objects.filter(event=event).delete()
        held = set(picks.sample(range(1, 16), picks.randint(0, 12)))
        # An offered seat is held as much as a confirmed one.
        offered = {seat for seat in held if picks.random() < 0.3}
        holding(event, held - offered)
        holding(event, offered, Registration.Status.OFFERED)
        for capacity in (None, 1, 5, 12, 15, 20):
            event.capacity = capacity
            seat, _ = event._seats_question()
            assert seat == lowest_free_seat(capacity, held), (capacity, sorted(held))


def test_the_seats_question_names_the_first_in_line_when_a_seat_is_free():
    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    first = confirmed_registration(event, "first@example.org")
    confirmed_registration(event, "second@example.org")
    assert first.status == Registration.Status.WAITLISTED
    assert event._seats_question() == (None, None)  # full: nobody's turn
    Registration.objects.filter(pk=seated.pk).update(seat=None, status="cancelled")
    assert event._seats_question() == (1, first.pk)


def test_a_free_seat_goes_to_the_one_waiting_not_to_the_one_confirming_now():
    event = online_meeting(capacity=1)
    seated = confirmed_registration(event, "seated@example.org")
    waiting = confirmed_registration(event, "waiting@example.org")
    # The seat frees without an offer being made (as if the offer had not been sent yet).
    Registration.objects.filter(pk=seated.pk).update(seat=None, status="cancelled")
    late = confirmed_registration(event, "late@example.org")
    waiting.refresh_from_db()
    assert late.status == Registration.Status.WAITLISTED and late.seat is None
    assert waiting.status == Registration.Status.OFFERED and waiting.seat == 1
    assert messages_to("waiting@example.org", "event-seat-offered")


def test_confirming_reads_the_seats_in_one_statement_however_many_are_held():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = online_meeting(capacity=500)
    holding(event, set(range(1, 301)) - {150})
    statements = []
    for email in ("one@example.org", "two@example.org"):
        registration = registration_for(event, email)
        with CaptureQueriesContext(connection) as captured:
            assert registration.confirm()
        registration.refresh_from_db()
        sql = [q["sql"] for q in captured.captured_queries]
        statements.append((registration.seat, [s for s in sql if "SAVEPOINT" not in s]))
    (first_seat, first), (second_seat, second) = statements
    assert (first_seat, second_seat) == (150, 301)
    # The confirmation (3), the event under its lock, the seats, the seat (and its mail, 2
    # or 3), the day's count: as many with 299 seats held as with 300.
    assert len(first) == len(second) <= 9
    # The event is read for its seats and the page after, not for every title it has.
    (locked,) = [sql for sql in first if "events_event" in sql]
    assert "title" not in locked and "description" not in locked


def test_a_confirmed_registration_still_reads_all_of_its_event():
    event = online_meeting(capacity=5)
    registration = registration_for(event, "ana@example.org")
    registration.confirm()
    # The event read under the lock holds only what the seats need; the rest comes when asked.
    assert registration.event.title == "Online meeting"
    assert registration.event.join_url == JOIN_URL
    assert registration.after_confirming_url(newly=True) == "/en/events/meeting/confirmed/"


def test_the_event_the_form_keeps_in_the_cache_holds_no_join_link(client: Client):
    online_meeting()
    assert client.get("/en/events/meeting/").status_code == 200
    kept = Event.published_for_form("meeting")
    assert "join_url" in kept.get_deferred_fields()
    # A registration made with it still sends the link once seated.
    register_and_confirm(client)
    (seat,) = messages_to(FORM["email"], "event-seat-given")
    assert JOIN_URL in seat.body_text


def test_the_form_sees_an_organisers_edit_at_once(
    client: Client, django_capture_on_commit_callbacks
):
    meeting = online_meeting()
    assert client.get("/en/events/meeting/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        meeting.registration_closes_at = timezone.now() - timedelta(minutes=1)
        meeting.save()
    assert client.post("/en/events/meeting/", FORM).status_code == 409
    assert not Registration.objects.exists()


def test_a_browser_zone_that_places_the_registrant_in_a_dangerous_country_is_not_kept(
    client: Client,
):
    # Our script sends the browser's zone unasked; Olga never said she is in Belarus, and
    # neither our tables nor the mails in her inbox ("Minsk time") say it for her.
    DangerousCountry.objects.create(code="BY")
    online_meeting()
    olga = {**FORM, "email": "olga@example.net", "country": "", "time_zone": "Europe/Minsk"}
    anna = {**FORM, "email": "anna@example.net", "country": "", "time_zone": "Europe/Vilnius"}
    for form in (olga, anna):
        assert client.post("/en/events/meeting/", {**form, "language": "en"}).status_code == 302
        (confirmation,) = messages_to(form["email"], "confirmation")
        client.post(link_in(confirmation, "/confirm/"))
    zones = {r.supporter.email: r.time_zone for r in Registration.objects.confirmed()}
    assert zones == {"olga@example.net": "", "anna@example.net": "Europe/Vilnius"}
    (to_olga,) = messages_to("olga@example.net", "event-seat-given")
    (to_anna,) = messages_to("anna@example.net", "event-seat-given")
    assert "Minsk" not in to_olga.body_text
    assert "Brussels" in to_olga.body_text
    assert "Your time:" in to_anna.body_text and "Vilnius" in to_anna.body_text


def test_the_registered_already_mail_to_someone_in_a_dangerous_country_greets_nobody(
    client: Client,
):
    """Anyone can cause it by typing the address again: its first words, on a lock screen
    beside the neutral subject, are not what was typed as a name."""
    from picketline.supporters.models import Supporter

    DangerousCountry.objects.create(code="BY")
    online_meeting()
    register_and_confirm(client)
    Supporter.objects.update(country="BY", name="Thank you for joining the Solidarity Union")
    client.post("/en/events/meeting/", FORM)
    (again,) = messages_to(FORM["email"], "event-already-registered")
    assert "Solidarity" not in again.body_text and "Solidarity" not in again.body_html
    assert "Solidarity" not in again.subject
