from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from picketline.campaigns.models import Campaign
from tests.events.helpers import JOIN_URL, online_meeting, street_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign() -> Campaign:
    return Campaign.objects.create(
        slug="c",
        title_en="Trade union activity is not extremism!",
        starts_on=date(2030, 3, 19),
        ends_on=date(2030, 4, 22),
        is_current=True,
    )


def test_it_shows_the_street_action_on_the_campaign_home(client: Client, campaign):
    street_action(campaign=campaign)
    page = client.get("/en/").content.decode()
    assert "Protest in Berlin" in page
    assert "10117 Berlin" in page
    assert "12:30–13:30" in page and "Europe/Berlin" in page
    assert "52.5163° N, 13.3789° E" in page
    assert "https://www.openstreetmap.org/?mlat=52.5163" in page
    assert '<a href="https://stream.example.com/live"' in page
    # the home page allows no frames: its "watch here" leads to the event page's player, where
    # the visitor presses the button to play
    assert "<iframe" not in page and "data-embed" not in page
    assert 'href="/en/events/berlin/#broadcast"' in page
    assert "player=" not in page


def test_it_shows_the_online_meeting_with_languages_and_a_register_link(client: Client, campaign):
    online_meeting(campaign=campaign)
    page = client.get("/en/").content.decode()
    assert "Online meeting" in page
    assert "09:30–11:00" in page and "Europe/Brussels" in page
    assert "English, Russian" in page
    assert 'href="/en/events/meeting/#register"' in page
    assert JOIN_URL not in page


def test_it_leaves_out_unpublished_and_other_campaigns_events(client: Client, campaign):
    street_action(campaign=campaign, published=False)
    online_meeting()
    page = client.get("/en/").content.decode()
    assert "Protest in Berlin" not in page and "Online meeting" not in page


def test_it_invites_supporters_to_hold_their_own_action(client: Client, campaign):
    page = client.get("/en/").content.decode()
    assert "Hold an action in your country" in page
    assert 'href="/en/events/hosted/propose/"' in page


def test_the_demo_loads_twice_and_puts_every_event_in_place(client: Client):
    from picketline.campaigns import demo as campaign_demo
    from picketline.events import demo
    from picketline.events.models import Event, HostedAction
    from picketline.lib.demo_dates import DemoDates

    dates = DemoDates.original()
    campaign_demo.load(dates)
    demo.load(dates)
    demo.load(dates)
    assert Event.objects.count() == 4 and HostedAction.objects.count() == 2
    meeting = Event.objects.get(slug="online-meeting-day-of-action")
    assert meeting.local_start.isoformat() == "2024-04-19T09:30:00+02:00"
    assert meeting.time_zone == "Europe/Brussels"
    street = Event.objects.get(slug="berlin-street-action")
    assert street.local_start.isoformat() == "2024-04-19T12:30:00+02:00"
    for language in ("en", "ru", "be", "de"):
        assert getattr(street, f"title_{language}") and getattr(meeting, f"title_{language}")
    page = client.get("/ru/").content.decode()
    assert "Акция протеста в Берлине" in page and "Онлайн-встреча" in page
    assert "2 actions announced so far, in 2 countries." in client.get("/en/").content.decode()
    hosted = client.get("/en/events/hosted/").content.decode()
    assert "Washington" in hosted and "The Hague" in hosted


def test_it_keeps_supporter_hosted_actions_out_of_the_campaigns_own_blocks(
    client: Client, campaign
):
    from tests.events.test_hosted import hosted

    hosted(title="Vigil in Vilnius").approve()
    page = client.get("/en/").content.decode()
    assert "Vigil in Vilnius" not in page
    assert "1 action announced so far" in page
