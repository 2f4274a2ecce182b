from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from picketline.campaigns.models import Campaign
from tests.campaigns.helpers import make_action, make_campaign, make_hashtag
from tests.fixtures.accounts import login_verified

pytestmark = pytest.mark.django_db

INLINES = ["demands", "actions", "hashtags", "contacts", "timeline", "organisations"]


@pytest.fixture
def organiser(client):
    user = get_user_model().objects.create_superuser("organiser", "o@example.org", "x" * 16)
    login_verified(client, user)  # password and TOTP code, as the admin requires
    return user


def change_form(campaign: Campaign, **changes) -> dict:
    """The campaign's change form as the admin would post it, inlines untouched."""
    data = {
        "slug": campaign.slug,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "time_zone": campaign.time_zone,
        "day_of_action_on": campaign.day_of_action_on.isoformat(),
        "is_current": "on",
    }
    for field in [
        "title",
        "slogan",
        "summary",
        "body",
        "day_of_action_title",
        "day_of_action_text",
    ]:
        for language in ["en", "ru", "be", "de"]:
            name = f"{field}_{language}"
            data[name] = getattr(campaign, name) or ""
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_it_shows_every_language_on_the_change_page(client, organiser):
    campaign = make_campaign()
    make_action(campaign)
    html = client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/").content.decode()
    for language in ["en", "ru", "be", "de"]:
        assert f'name="title_{language}"' in html
        assert f'name="actions-0-cta_label_{language}"' in html
    for prefix in INLINES:
        assert f'name="{prefix}-TOTAL_FORMS"' in html


# Real commits: the page cache learns of an edit when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_changes_the_page_at_once(client, organiser):
    campaign = make_campaign()
    visitor = Client()  # anonymous: the one who gets cached pages
    assert "Union work is no crime" in visitor.get("/de/").content.decode()
    response = client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/change/",
        change_form(campaign, title_de="Gewerkschaft ist kein Verbrechen"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = visitor.get("/de/").content.decode()
    assert "Gewerkschaft ist kein Verbrechen" in html
    assert "Noch nicht übersetzt" not in html.split("hero__title", 1)[1].split("</h1>")[0]


# Real commits: the page cache learns of an edit when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_an_admin_inline_edit_changes_the_page(client, organiser):
    campaign = make_campaign()
    hashtag = make_hashtag(campaign, "OldTag")
    visitor = Client()
    assert "#OldTag" in visitor.get("/en/").content.decode()
    data = change_form(
        campaign,
        **{
            "hashtags-TOTAL_FORMS": "1",
            "hashtags-INITIAL_FORMS": "1",
            "hashtags-0-id": str(hashtag.pk),
            "hashtags-0-campaign": str(campaign.pk),
            "hashtags-0-text": "NewTag",
            "hashtags-0-position": "0",
        },
    )
    response = client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", data)
    assert response.status_code == 302
    html = visitor.get("/en/").content.decode()
    assert "#NewTag" in html and "#OldTag" not in html


def test_it_refuses_a_hashtag_with_a_hash_in_the_admin(client, organiser):
    campaign = make_campaign()
    data = change_form(
        campaign,
        **{
            "hashtags-TOTAL_FORMS": "1",
            "hashtags-0-campaign": str(campaign.pk),
            "hashtags-0-text": "#WithHash",
            "hashtags-0-position": "0",
        },
    )
    response = client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", data)
    assert response.status_code == 200
    assert "without &#x27;#&#x27;" in response.content.decode()
    assert not campaign.hashtags.exists()


def test_it_keeps_outsiders_out_of_the_admin(client):
    campaign = make_campaign()
    response = client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_lists_campaigns_with_their_status(client, organiser):
    make_campaign()
    with time_machine.travel(datetime(2024, 4, 1, 12, tzinfo=UTC), tick=False):
        html = client.get("/admin/campaigns/campaign/").content.decode()
    assert "Union work is no crime" in html
    assert '<td class="field-status">running</td>' in html


# Real commits: the page cache learns of an edit when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_it_refreshes_pages_when_the_organiser_deletes_campaigns_in_bulk(client, organiser):
    campaign = make_campaign()
    visitor = Client()
    assert visitor.get("/en/").status_code == 200
    response = client.post(
        "/admin/campaigns/campaign/",
        {"action": "delete_selected", "_selected_action": [campaign.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Campaign.objects.exists()
    assert visitor.get("/en/").status_code == 404
