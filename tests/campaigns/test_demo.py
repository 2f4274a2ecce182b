from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from picketline.campaigns import demo
from picketline.campaigns.models import (
    Campaign,
    CampaignStatus,
    Contact,
    DayStatus,
    Demand,
    Hashtag,
    Organisation,
    SupporterAction,
    TimelineEntry,
)
from picketline.lib.demo_dates import DemoDates

pytestmark = pytest.mark.django_db

MODELS = [Campaign, Demand, Organisation, SupporterAction, Hashtag, Contact, TimelineEntry]
TODAY = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@time_machine.travel(TODAY, tick=False)
def test_loading_the_demo_twice_is_harmless():
    dates = DemoDates.running_on(TODAY.date())
    demo.load(dates)
    first = counts()
    demo.load(dates)
    assert counts() == first
    assert first == {
        "Campaign": 1,
        "Demand": 3,
        "Organisation": 3,
        "SupporterAction": 6,
        "Hashtag": 4,
        "Contact": 2,
        "TimelineEntry": 5,
    }


@time_machine.travel(TODAY, tick=False)
def test_the_demo_campaign_is_running_with_the_day_of_action_ahead():
    demo.load(DemoDates.running_on(TODAY.date()))
    campaign = Campaign.objects.current()
    assert campaign.status() == CampaignStatus.RUNNING
    assert campaign.day_of_action_status() == DayStatus.UPCOMING
    assert campaign.day_of_action_on.weekday() == date(2024, 4, 19).weekday()  # a Friday
    rally = campaign.timeline.get(title_en="Salidarnast protest in Berlin")
    assert rally.date == campaign.day_of_action_on
    assert (rally.starts_at.hour, rally.starts_at.minute) == (12, 30)
    assert rally.status() == DayStatus.UPCOMING


def test_the_original_dates_are_those_of_2024():
    demo.load(DemoDates.original())
    campaign = Campaign.objects.current()
    assert (campaign.starts_on, campaign.ends_on) == (date(2024, 3, 19), date(2024, 4, 22))
    assert campaign.day_of_action_on == date(2024, 4, 19)
    with time_machine.travel(TODAY, tick=False):
        assert campaign.status() == CampaignStatus.ENDED


def test_the_demo_carries_the_seed_facts():
    demo.load(DemoDates.original())
    campaign = Campaign.objects.current()
    assert [tag.text for tag in campaign.hashtags.all()] == [
        "FreeBelarusUnionists",
        "SolidarityWithBelarusTradeUnionists",
        "SupportBelarusWorkersRights",
        "April19_WorkersRights",
    ]
    contacts = {c.name_en: (c.phone, c.email) for c in campaign.contacts.all()}
    assert contacts == {
        "Lizaveta Merliak": ("+4915203268972", ""),
        "Maryia Taradzetskaya": ("+491637892590", ""),
    }
    organisers = campaign.organisations.filter(role=Organisation.Role.ORGANISER)
    assert [o.name_en for o in organisers] == [
        "Salidarnast e.V.",
        "International Trade Union Confederation (ITUC)",
    ]
    assert {a.kind for a in campaign.actions.all()} == {
        kind for kind in SupporterAction.Kind if kind != SupporterAction.Kind.OTHER
    }
    for union in ["BNP", "SPB", "SPM", "REP", "BKDP"]:
        assert union in campaign.body_en
    # Aliaksandr Yarashuk is named through the register, which says what became of him.
    assert "[[person:bp001]]" in campaign.body_en


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_demo_is_written_in_every_language(client, language):
    demo.load(DemoDates.running_on(TODAY.date()))
    html = client.get(f"/{language}/").content.decode()
    assert 'class="untranslated"' not in html
    for action in SupporterAction.objects.all():
        page = client.get(f"/{language}/actions/{action.slug}/").content.decode()
        assert 'class="untranslated"' not in page
        with translation.override(language):
            assert action.title in page
