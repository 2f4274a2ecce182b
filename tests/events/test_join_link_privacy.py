"""The join link of an online meeting is on no public page and in no API answer: crawl them all
(every language, every same-origin link, the JSON API) and look for it."""

from __future__ import annotations

import json
import re
from collections import deque
from datetime import date

import pytest
from django.test import Client

from picketline.campaigns.models import Campaign
from tests.events.helpers import (
    JOIN_URL,
    confirmed_registration,
    online_meeting,
    street_action,
)

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""(?:href|src|action)="([^"#]+)""")
SKIP = ("/admin/", "/static/", "/media/")
START = ["/en/", "/ru/", "/be/", "/de/", "/en/events/", "/api/v1/", "/api/v1/openapi.json"]


def links_in(response) -> list[str]:
    body = response.content.decode("utf-8", "replace")
    if response["Content-Type"].startswith("application/json"):
        found = []

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                if value.startswith("http://testserver/"):
                    found.append(value[len("http://testserver") :])
                elif value.startswith("/"):
                    found.append(value)

        walk(json.loads(body))
        return found
    return [link.replace("&amp;", "&") for link in HREF.findall(body)]


def crawl(client: Client, limit: int = 600) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(START)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or not path.startswith("/") or path.startswith("//"):
            continue
        if any(path.startswith(skip) for skip in SKIP):
            continue
        response = client.get(path)
        seen[path] = response.content.decode("utf-8", "replace")
        if response.status_code == 200:
            queue.extend(links_in(response))
    return seen


def test_the_join_link_is_on_no_public_page_or_api_answer():
    campaign = Campaign.objects.create(
        slug="c",
        title_en="Campaign",
        starts_on=date(2030, 3, 19),
        ends_on=date(2030, 4, 22),
        is_current=True,
    )
    meeting = online_meeting(campaign=campaign)
    street_action(campaign=campaign, kind="hybrid", join_url=JOIN_URL + "-hybrid")
    confirmed_registration(meeting, "ana@example.org")
    pages = crawl(Client())
    # the crawl reached the events, their calendar files and the hosted actions
    assert "/en/events/meeting/" in pages and "/de/events/berlin/" in pages
    assert "/en/events/meeting/calendar.ics" in pages
    assert "/en/events/hosted/" in pages
    assert len(pages) > 20
    leaks = [path for path, body in pages.items() if "secret-room" in body]
    assert leaks == []
