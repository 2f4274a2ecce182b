"""Hosted actions: the place is a city of the gazetteer shipped with the site, found by name in
any language; the country, the point on the map and the time zone follow from it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

import pytest
from django.test import Client

from picketline.events import gazetteer
from picketline.events.models import HostedAction
from picketline.supporters.models import Supporter
from tests.events.test_hosted import PROPOSAL

FORM = "/en/events/hosted/propose/"


def test_every_city_has_a_known_zone_a_country_code_and_a_point_on_earth():
    cities = gazetteer.cities()
    assert len(cities) >= 80
    assert len({city.key for city in cities}) == len(cities)
    zones = available_timezones()
    for city in cities:
        assert city.time_zone in zones, city.key
        assert len(city.country) == 2 and city.country.isupper(), city.key
        assert -90 <= city.latitude <= 90 and -180 <= city.longitude <= 180, city.key
        assert all(name.strip() for _language, name in city.names), city.key


def test_no_city_in_belarus_or_russia_is_offered():
    assert {city.country for city in gazetteer.cities()}.isdisjoint({"BY", "RU"})


@pytest.mark.parametrize(
    "query", ["Leipzig", "leipzig", "LEIPZIG", "Лейпциг", "Лейпцыг", "Leipzig, DE", "leipzig,de"]
)
def test_it_finds_a_city_in_any_language_and_spelling(query):
    assert [city.key for city in gazetteer.search(query)] == ["leipzig"]


@pytest.mark.parametrize(
    "query, key, zone",
    [
        ("Одесса", "odesa", "Europe/Kyiv"),
        ("Харкаў", "kharkiv", "Europe/Kyiv"),
        ("Stettin", "szczecin", "Europe/Warsaw"),
        ("Daugavpils", "daugavpils", "Europe/Riga"),
        ("Шяуляй", "siauliai", "Europe/Vilnius"),
        ("Nikosia", "nicosia", "Asia/Nicosia"),
        ("Тырана", "tirana", "Europe/Tirane"),
    ],
)
def test_the_neighbours_of_belarus_and_the_capitals_of_europe_are_there(query, key, zone):
    [city] = gazetteer.search(query)
    assert (city.key, city.time_zone) == (key, zone)


def test_accents_and_local_letters_do_not_matter():
    assert [c.key for c in gazetteer.search("Bialystok")] == ["bialystok"]
    assert [c.key for c in gazetteer.search("Lodz")] == ["lodz"]
    assert [c.key for c in gazetteer.search("Zürich")] == ["zurich"]
    assert [c.key for c in gazetteer.search("Chisinau")] == ["chisinau"]


def test_a_beginning_offers_every_city_it_starts():
    keys = [city.key for city in gazetteer.search("Ber")]
    assert keys == ["berlin", "bern"]
    assert gazetteer.search("") == [] and gazetteer.search("Atlantis") == []


@pytest.mark.django_db
def test_the_place_gives_the_country_the_point_and_the_zone(client: Client):
    response = client.post(FORM, {**PROPOSAL, "city": "Вильнюс", "language": "ru"})
    assert response.status_code == 302
    action = HostedAction.objects.get()
    assert (action.country, action.city, action.time_zone) == ("LT", "Vilnius", "Europe/Vilnius")
    assert (action.latitude, action.longitude) == (Decimal("54.69"), Decimal("25.28"))
    # The times were typed as Vilnius's wall clock.
    assert action.starts_at == datetime(2030, 4, 19, 12, tzinfo=ZoneInfo("Europe/Vilnius"))
    # The country is asked once, by the city: the host's own is not asked as well.
    assert Supporter.objects.get().country == ""


@pytest.mark.django_db
def test_the_form_offers_the_cities_and_asks_no_country_or_zone(client: Client):
    page = client.get("/de/events/hosted/propose/").content.decode()
    assert 'list="gazetteer-cities"' in page
    assert '<datalist id="gazetteer-cities">' in page
    assert '<option value="Leipzig, DE">' in page and '<option value="Wien, AT">' in page
    for gone in ('name="country"', 'name="host_country"', 'name="time_zone"', 'name="latitude"'):
        assert gone not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("city", "says"),
    [
        ("Atlantis", "We do not know a city called “Atlantis”"),
        ("Ber", "Several cities match “Ber”: Berlin, DE; Bern, CH."),
    ],
)
def test_an_unknown_or_ambiguous_city_is_asked_again_and_nothing_stored(client, city, says):
    response = client.post(FORM, {**PROPOSAL, "city": city})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert HostedAction.objects.count() == 0


@pytest.mark.django_db
def test_the_question_comes_back_in_the_supporters_language(client):
    response = client.post("/de/events/hosted/propose/", {**PROPOSAL, "city": "Atlantis"})
    assert "Eine Stadt namens „Atlantis“ kennen wir nicht." in response.content.decode()
