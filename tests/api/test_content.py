from datetime import date

import pytest
from django.utils import timezone

from picketline.submissions.models import ActionReport, Endorsement
from tests.campaigns.helpers import make_action, make_campaign, make_hashtag
from tests.events.helpers import JOIN_URL, confirmed_registration, online_meeting, registration_for
from tests.letters.helpers import confirmed_letter, letter_action
from tests.registers.helpers import make_company

pytestmark = pytest.mark.django_db


def approved(model, **fields):
    return model.objects.create(status="approved", confirmed_at=timezone.now(), **fields)


def test_it_lists_campaigns_with_demands_and_hashtags(api):
    campaign = make_campaign()
    campaign.demands.create(text_en="Free them all")
    make_hashtag(campaign)
    (item,) = api.json("/api/v1/campaigns")["items"]
    assert item["title"] == "Union work is no crime"
    assert item["demands"] == ["Free them all"]
    assert item["hashtags"] == ["FreeBelarusUnionists"]
    detail = api.json("/api/v1/campaigns/free-unionists")
    assert detail["actions"] == []
    assert api.get("/api/v1/campaigns/nope").status_code == 404


def test_actions_carry_confirmed_counts_only(api):
    campaign = make_campaign()
    make_action(campaign, "write", destination="letters/release/")
    make_action(campaign, "meet", destination="events/meeting/", kind="online_meeting")
    make_action(campaign, "read", destination="register/", kind="other")
    release = letter_action("release")
    confirmed_letter(release, "a@example.net")
    confirmed_letter(release, "b@example.net")
    meeting = online_meeting()
    confirmed_registration(meeting, "c@example.net")
    registration_for(meeting, "unconfirmed@example.net")  # not counted
    counts = {a["slug"]: a["confirmed_count"] for a in api.json("/api/v1/actions")["items"]}
    # One registrant is too few to publish (tests/api/test_event_counts.py).
    assert counts == {"write": 2, "meet": None, "read": None}


def test_events_never_carry_the_join_link(api):
    meeting = online_meeting()
    confirmed_registration(meeting, "c@example.net")
    online_meeting(slug="draft", published=False)
    listing = api.get("/api/v1/events")
    assert JOIN_URL not in listing.content.decode()
    (item,) = listing.json()["items"]
    assert item["slug"] == "meeting"
    assert item["confirmed_registrations"] is None  # one: too few to publish
    detail = api.get("/api/v1/events/meeting")
    assert JOIN_URL not in detail.content.decode()
    assert api.get("/api/v1/events/draft").status_code == 404
    assert api.json("/api/v1/events", {"kind": "in_person"})["items"] == []


def test_only_approved_and_confirmed_submissions_are_listed(api):
    approved(Endorsement, organisation="Approved Union", country="Norway", kind="union")
    Endorsement.objects.create(
        organisation="Pending Union", country="Norway", kind="union", confirmed_at=timezone.now()
    )
    Endorsement.objects.create(
        organisation="Unconfirmed Union", country="Norway", kind="union", status="approved"
    )
    names = [e["organisation"] for e in api.json("/api/v1/endorsements")["items"]]
    assert names == ["Approved Union"]


def met(company) -> ActionReport:
    """An approved report of a meeting with ``company``, chosen from the register."""
    return approved(
        ActionReport,
        kind="due_diligence",
        country="Norway",
        happened_on=date(2024, 4, 19),
        title="Met the buyer",
        text="We asked about the strikers.",
        company=company,
    )


def test_reports_link_the_company_register(api):
    company = make_company()
    met(company)
    (item,) = api.json("/api/v1/reports", {"company": "belaruskali"})["items"]
    assert item["company"] == "belaruskali"
    assert item["company_name"] == company.name
    assert api.json("/api/v1/reports", {"kind": "picket"})["items"] == []
    assert api.json("/api/v1/videos")["items"] == []


def test_a_company_the_register_hides_is_named_by_no_report(api, client):
    report = met(make_company(is_published=False))  # the register has hidden it since
    (item,) = api.json("/api/v1/reports")["items"]
    assert (item["company"], item["company_name"]) == (None, "")
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Met the buyer" in page and "Belaruskali" not in page
    listing = client.get("/en/submit/reports/").content.decode()
    assert "Met the buyer" in listing and "Belaruskali" not in listing
