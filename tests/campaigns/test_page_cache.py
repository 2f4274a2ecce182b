import pytest
from django.test import Client

from picketline.web.content import content_version
from tests.campaigns.helpers import make_action, make_campaign

pytestmark = pytest.mark.django_db


def test_the_home_and_action_pages_come_from_the_cache_for_anonymous_visitors(
    django_assert_num_queries,
):
    campaign = make_campaign()
    action = make_action(campaign)
    client = Client()
    for path in ["/en/", f"/en/actions/{action.slug}/"]:
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.content == first.content


@pytest.mark.django_db(transaction=True)
def test_an_edit_reaches_the_cached_home_page_at_once():
    campaign = make_campaign()
    client = Client()
    client.get("/en/")
    version = content_version()
    campaign.title = "A new title for the campaign"
    campaign.save()
    assert content_version() > version
    assert "A new title for the campaign" in client.get("/en/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_that_is_never_cached_names_the_campaign_without_a_query_and_follows_edits(
    django_assert_num_queries,
):
    campaign = make_campaign()
    client = Client()
    # A link that is not valid: rendered each time, never cached, the site's name in its header.
    assert "Union work is no crime" in client.get("/en/me/confirm/forged/").content.decode()
    with django_assert_num_queries(0):
        again = client.get("/en/me/confirm/forged/")
    assert "Union work is no crime" in again.content.decode()
    assert "Профсоюзная работа" in client.get("/ru/me/confirm/forged/").content.decode()
    campaign.title_en = "Free them now"
    campaign.save()
    assert "Free them now" in client.get("/en/me/confirm/forged/").content.decode()
