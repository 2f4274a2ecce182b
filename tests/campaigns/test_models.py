from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from picketline.campaigns.models import (
    Campaign,
    CampaignStatus,
    Contact,
    DayStatus,
    Hashtag,
    TimelineEntry,
)
from picketline.web.content import content_version
from tests.campaigns.helpers import make_action, make_campaign, make_contact

pytestmark = pytest.mark.django_db


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=UTC), tick=False)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ((2024, 3, 18, 12, 0), CampaignStatus.UPCOMING),
        # 23:30 UTC on 18 March is already 19 March in Berlin: the campaign has begun there.
        ((2024, 3, 18, 23, 30), CampaignStatus.RUNNING),
        ((2024, 4, 1, 12, 0), CampaignStatus.RUNNING),
        ((2024, 4, 22, 21, 59), CampaignStatus.RUNNING),
        ((2024, 4, 22, 22, 0), CampaignStatus.ENDED),  # midnight in Berlin (UTC+2)
    ],
)
def test_it_tells_upcoming_running_and_ended_in_the_campaign_zone(moment, expected):
    campaign = make_campaign()
    with at(*moment):
        assert campaign.status() == expected


def test_it_counts_the_days_to_the_day_of_action():
    campaign = make_campaign()
    with at(2024, 4, 12, 10, 0):
        assert campaign.day_of_action_status() == DayStatus.UPCOMING
        assert campaign.days_until_day_of_action() == 7
    with at(2024, 4, 19, 10, 0):
        assert campaign.day_of_action_status() == DayStatus.TODAY
    with at(2024, 4, 20, 10, 0):
        assert campaign.day_of_action_status() == DayStatus.PAST


def test_it_has_no_day_of_action_status_without_a_date():
    campaign = make_campaign(day_of_action_on=None)
    assert campaign.day_of_action_status() is None
    assert campaign.days_until_day_of_action() is None


def test_it_shows_timeline_entries_as_past_today_or_upcoming():
    campaign = make_campaign()
    day = TimelineEntry.objects.create(campaign=campaign, date=date(2024, 4, 19), title_en="Day")
    with at(2024, 4, 18, 21, 59):  # 23:59 in Berlin, the day before
        assert day.status() == DayStatus.UPCOMING
    with at(2024, 4, 18, 22, 0):  # midnight in Berlin
        assert day.status() == DayStatus.TODAY
    with at(2024, 4, 19, 21, 59):
        assert day.status() == DayStatus.TODAY
    with at(2024, 4, 19, 22, 0):
        assert day.status() == DayStatus.PAST


def test_it_shows_a_timed_entry_as_past_once_it_is_over_that_day():
    campaign = make_campaign()
    rally = TimelineEntry.objects.create(
        campaign=campaign,
        date=date(2024, 4, 19),
        starts_at=time(12, 30),
        ends_at=time(13, 30),
        title_en="Rally",
    )
    with at(2024, 4, 19, 11, 0):  # 13:00 in Berlin: under way
        assert rally.status() == DayStatus.TODAY
    with at(2024, 4, 19, 11, 30):  # 13:30 in Berlin: over
        assert rally.status() == DayStatus.PAST
    assert rally.starts() == datetime(2024, 4, 19, 10, 30, tzinfo=UTC)


def test_it_refuses_an_end_before_the_start():
    campaign = make_campaign()
    campaign.ends_on = date(2024, 3, 1)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "ends_on" in error.value.message_dict
    entry = TimelineEntry(
        campaign=campaign, date=date(2024, 4, 19), starts_at=time(13), ends_at=time(12)
    )
    entry.title_en = "x"
    with pytest.raises(ValidationError):
        entry.clean()


def test_it_refuses_an_unknown_time_zone():
    campaign = make_campaign(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "time_zone" in error.value.message_dict


@pytest.mark.parametrize("phone", ["+49 1520 3268972", "015203268972", "+0123456789", "+49abc"])
def test_it_refuses_a_phone_number_that_is_not_e164(phone):
    contact = Contact(campaign=make_campaign(), phone=phone, name_en="A")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "phone" in error.value.message_dict


@pytest.mark.parametrize("text", ["#Free", "two words", ""])
def test_it_refuses_a_hashtag_with_hash_or_space(text):
    with pytest.raises(ValidationError):
        Hashtag(campaign=make_campaign(), text=text).full_clean()


@pytest.mark.parametrize(
    "destination", ["/letters/", "https://evil.example/", "//evil.example/", "javascript:x"]
)
def test_it_refuses_a_destination_outside_the_site(destination):
    action = make_action(make_campaign())
    action.destination = destination
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "destination" in error.value.message_dict


def test_it_links_the_call_to_action_under_the_current_language():
    from django.utils import translation

    action = make_action(make_campaign(), destination="submit/video/")
    with translation.override("be"):
        assert action.destination_url() == "/be/submit/video/"
        assert action.get_absolute_url() == "/be/actions/write/"


def test_it_keeps_one_current_campaign():
    first = make_campaign()
    second = make_campaign(slug="second", is_current=True)
    first.refresh_from_db()
    assert not first.is_current
    assert Campaign.objects.current() == second


def test_it_formats_the_phone_for_reading_and_keeps_it_for_dialling():
    contact = make_contact(make_campaign(), phone="+491637892590")
    assert contact.phone_display() == "+49 1637 892590"


def test_it_refreshes_cached_pages_when_content_changes(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign()
    assert content_version() > before
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        make_action(campaign).delete()
    assert content_version() > before
