"""A letter form keeps its action and recipients in the cache, and an organiser's edit shows at
once: the title on the page, a new recipient for the next letter, an action taken down."""

import pytest
from django.urls import reverse

from picketline.letters.models import Letter
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db(transaction=True)  # edits take effect on commit


def page(client, action, **query) -> str:
    url = reverse("letters:action", kwargs={"slug": action.slug})
    return client.get(url, query).content.decode()


def test_an_edited_title_shows_on_the_next_request(client):
    action = embassy_action()
    assert "Release them" in page(client, action)
    action.title = "Free them now"
    action.save()
    assert "Free them now" in page(client, action)


def test_a_recipient_added_by_an_organiser_gets_the_next_letter(client):
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug})
    assert client.post(url, form_data(email="first@example.net")).status_code == 302
    assert [t.name for t in Letter.objects.get().targets()] == ["Ministry of Foreign Affairs"]
    target("Embassy of Belarus in Germany", "DE")
    assert client.post(url, form_data(email="second@example.net")).status_code == 302
    second = Letter.objects.order_by("pk").last()
    assert [t.name for t in second.targets()] == ["Embassy of Belarus in Germany"]


def test_an_action_taken_down_is_gone_at_once(client):
    action = embassy_action()
    assert "Release them" in page(client, action)
    action.published = False
    action.save()
    url = reverse("letters:action", kwargs={"slug": action.slug})
    assert client.get(url).status_code == 404


def test_a_country_that_is_no_code_is_looked_up_without_the_cache(client):
    action = embassy_action()
    assert (
        client.get(
            reverse("letters:action", kwargs={"slug": action.slug}), {"country": "x" * 500}
        ).status_code
        == 200
    )
