from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from tests.events.helpers import online_meeting, street_action

pytestmark = pytest.mark.django_db


def test_it_shows_the_time_in_the_events_zone_and_marks_it_for_the_browser(client: Client):
    street_action()
    page = client.get("/en/events/berlin/").content.decode()
    assert "12:30" in page and "13:30" in page
    assert "Europe/Berlin" in page
    assert "CEST" in page
    # the instant in UTC, for the script that adds the visitor's own time
    assert 'data-starts="2030-04-19T10:30:00+00:00"' in page


def test_it_shows_the_place_with_coordinates_and_an_openstreetmap_link(client: Client):
    street_action()
    page = client.get("/en/events/berlin/").content.decode()
    assert "10117 Berlin" in page
    assert "52.5163° N, 13.3789° E" in page
    assert (
        "https://www.openstreetmap.org/?mlat=52.5163&amp;mlon=13.3789#map=17/52.5163/13.3789"
        in page
    )
    assert "<iframe" not in page and "<img" not in page


def test_it_loads_nothing_from_the_stream_before_a_click(client: Client):
    street_action()
    response = client.get("/en/events/berlin/")
    page = response.content.decode()
    assert '<a href="https://stream.example.com/live"' in page
    assert 'data-embed="https://player.example.com/embed/live"' in page
    assert "<iframe" not in page
    assert "frame-src https://player.example.com" in response["Content-Security-Policy"]


def test_no_address_loads_the_player_without_a_click(client: Client):
    """A link can be shared or planted: the page before a click is the same with any query,
    the old ``?player=1`` included: a button to press, no frame, and the sentence."""
    street_action()
    plain = client.get("/en/events/berlin/")
    page = plain.content.decode()
    assert "autoplay" not in page and "<iframe" not in page
    assert "data-player-load hidden" in page  # the button our script shows
    assert "Nothing is loaded from https://player.example.com until you choose" in page
    for query in ("?player=1", "?player=1&autoplay=1", "?autoplay=true"):
        response = client.get(f"/en/events/berlin/{query}")
        assert response.status_code == 200
        # the same page, but for the alternate-language links that repeat the query
        assert response.content.decode().replace(escape(query), "") == page, query
        assert response["Content-Security-Policy"] == plain["Content-Security-Policy"]


def test_it_keeps_frames_forbidden_on_events_without_a_player(client: Client):
    online_meeting()
    response = client.get("/en/events/meeting/")
    assert "frame-src 'none'" in response["Content-Security-Policy"]


def test_it_writes_coordinates_south_and_west(client: Client):
    from decimal import Decimal

    street_action(latitude=Decimal("-34.6037"), longitude=Decimal("-58.3816"))
    page = client.get("/en/events/berlin/").content.decode()
    assert "34.6037° S, 58.3816° W" in page


def test_it_shows_the_translated_title_and_falls_back_to_english_visibly(client: Client):
    street_action()
    assert "Protest in Berlin (de)" in client.get("/de/events/berlin/").content.decode()
    page = client.get("/ru/events/berlin/").content.decode()
    assert "Protest in Berlin" in page
    assert 'class="untranslated" lang="en"' in page


def test_it_hides_unpublished_events(client: Client):
    street_action(published=False)
    assert client.get("/en/events/berlin/").status_code == 404
    assert client.get("/en/events/berlin/calendar.ics").status_code == 404
    assert "Protest in Berlin" not in client.get("/en/events/").content.decode()


def test_it_lists_upcoming_events(client: Client):
    street_action()
    online_meeting()
    page = client.get("/en/events/").content.decode()
    assert "Protest in Berlin" in page and "Online meeting" in page


def test_it_rejects_post_on_the_list(client: Client):
    assert client.post("/en/events/").status_code == 405


def test_it_names_the_languages_and_the_interpretation(client: Client):
    online_meeting()
    page = client.get("/en/events/meeting/").content.decode()
    assert "English, Russian" in page
    assert "English and Russian" in page


def test_it_speaks_the_visitors_language(client: Client):
    online_meeting()
    russian = client.get("/ru/events/meeting/").content.decode()
    assert "Зарегистрироваться" in russian or "Регистрация" in russian
    assert "19 апреля 2030" in russian
    belarusian = client.get("/be/events/meeting/").content.decode()
    assert "Рэгістрацыя" in belarusian and "19 красавіка 2030" in belarusian
    german = client.get("/de/events/meeting/").content.decode()
    assert "Anmelden" in german and "19. April 2030" in german


def test_a_cached_event_page_keeps_its_player_permission(client: Client):
    street_action()
    first = client.get("/en/events/berlin/")
    second = client.get("/en/events/berlin/")
    assert second.content == first.content
    assert "frame-src https://player.example.com" in second["Content-Security-Policy"]


def test_a_page_with_the_registration_form_is_never_shared_from_the_cache():
    online_meeting()
    token = 'name="csrfmiddlewaretoken" value="'
    first = Client().get("/en/events/meeting/").content.decode().split(token)[1][:64]
    second = Client().get("/en/events/meeting/").content.decode().split(token)[1][:64]
    assert first != second  # each visitor got their own page and token
