"""Nothing private leaves through the API: no supporter's personal data, no unpublished item.

The test fills every kind of record with recognisable private values, then walks the whole API
as a client would (every list, every page, every item it links to) and searches every byte."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from picketline.api.schema import document
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters.models import Supporter
from tests.campaigns.helpers import make_action, make_campaign
from tests.events.helpers import JOIN_URL, confirmed_registration, online_meeting
from tests.letters.helpers import confirmed_letter, letter_action
from tests.registers.helpers import make_company, make_person

pytestmark = pytest.mark.django_db

SECRETS = [
    "private.supporter@example.org",
    "Secret Supporter Name",
    "+4915200000000",
    "Secret Letter Organisation",
    "Secret Registrant Organisation",
    "Secret Contact Role",
    JOIN_URL,
]
UNPUBLISHED = [
    "Unpublished Person",
    "Unpublished Company",
    "Unpublished Event",
    "Pending Report",
    "Unconfirmed Endorsement",
]


def walk(api) -> list[str]:
    """Every response body reachable from the documented list endpoints and their items."""
    paths = document()["paths"]
    bodies = []
    for path in paths:
        if "{" in path:
            continue
        detail_template = f"{path}/{{slug}}"
        next_url: str | None = path
        while next_url:
            data = api.json(next_url)
            bodies.append(json.dumps(data, ensure_ascii=False))
            for item in data.get("items", []):
                if detail_template in paths:
                    detail = api.json(f"{path}/{item['slug']}")
                    bodies.append(json.dumps(detail, ensure_ascii=False))
            next_url = data.get("next")
    return bodies


def test_no_supporter_data_and_no_unpublished_item_is_reachable(api):
    supporter, _ = Supporter.get_or_create_for_email(
        SECRETS[0], name=SECRETS[1], phone=SECRETS[2], country="DE", language="en"
    )
    campaign = make_campaign()
    make_action(campaign, "write", destination="letters/release/")
    confirmed_letter(letter_action("release"), SECRETS[0], SECRETS[1], organisation=SECRETS[3])
    meeting = online_meeting()
    confirmed_registration(meeting, SECRETS[0], organisation=SECRETS[4])
    online_meeting(slug="draft", title_en="Unpublished Event", published=False)
    now = timezone.now()
    Endorsement.objects.create(
        supporter=supporter,
        organisation="Public Union",
        country="Norway",
        kind="union",
        contact_role=SECRETS[5],
        status="approved",
        confirmed_at=now,
    )
    Endorsement.objects.create(
        organisation="Unconfirmed Endorsement", country="Norway", kind="union", status="approved"
    )
    ActionReport.objects.create(
        supporter=supporter,
        kind="picket",
        country="Norway",
        happened_on=date(2024, 4, 19),
        title="Pending Report",
        text="Not yet moderated.",
        confirmed_at=now,
    )
    VideoMessage.objects.create(
        supporter=supporter, public_name=SECRETS[1], link="https://video.example/1",
        status="approved", confirmed_at=now,
    )  # fmt: skip
    make_person(ref="public", name="Public Person")
    make_person(ref="hidden", slug="hidden-person", name="Unpublished Person", is_published=False)
    make_company(ref="public-co", name="Public Company")
    make_company(ref="hidden-co", slug="hidden-co", name="Unpublished Company", is_published=False)

    everything = "\n".join(walk(api))
    for shown in ["Public Person", "Public Company", "Public Union", "Online meeting"]:
        assert shown in everything  # the walk reaches every kind of item
    for secret in [*SECRETS, *UNPUBLISHED]:
        assert secret not in everything
    assert api.get("/api/v1/prisoners/hidden-person").status_code == 404
    assert api.get("/api/v1/companies/hidden-co").status_code == 404
    assert api.get("/api/v1/events/draft").status_code == 404
