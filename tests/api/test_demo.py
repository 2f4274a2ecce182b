"""The whole demo (every app's demo data) through the API: every list and item answers and
matches the document."""

import io

import pytest
from django.core.management import call_command

from picketline.api.schema import document

pytestmark = pytest.mark.django_db


def test_the_whole_demo_is_served_as_documented(api):
    call_command("load_demo", original_dates=True, stdout=io.StringIO())
    paths = document()["paths"]
    seen = 0
    for path in paths:
        if "{" in path or path.endswith("openapi.json") or path == "/api/v1/":
            continue
        data = api.json(path, {"limit": 200})
        for item in data["items"]:
            seen += 1
            if f"{path}/{{slug}}" in paths:
                api.json(f"{path}/{item['slug']}")
    assert seen > 50
    actions = api.json("/api/v1/actions")["items"]
    assert actions and any(a["confirmed_count"] is not None for a in actions)
    campaign = api.json("/api/v1/campaigns")["items"][0]
    assert api.json(f"/api/v1/campaigns/{campaign['slug']}")["actions"]
