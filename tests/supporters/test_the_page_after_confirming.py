"""The POST that confirms leads to a page per kind of action and action: it names what was
confirmed, offers sharing and the campaign's other actions, holds nothing personal, and the
page cache stores it."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from picketline.events.models import Registration
from picketline.letters.models import Letter, Role
from picketline.submissions.models import Endorsement
from picketline.supporters import flow
from picketline.supporters.models import Subscription
from tests.campaigns.helpers import make_action, make_campaign, make_hashtag
from tests.events.helpers import online_meeting
from tests.letters.helpers import confirm_url, form_data, letter_action, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = make_campaign()
    make_hashtag(campaign, "FreeBelarusUnionists")
    make_hashtag(campaign, "UnionWorkIsNoCrime")
    make_action(campaign, "write", destination="letters/release/", title_en="Write a letter")
    make_action(campaign, "video", destination="submit/video/", title_en="Send a video message")
    make_action(campaign, "meet", destination="events/meeting/", title_en="Join the meeting")
    return campaign


def confirmed_page(client, location: str, django_assert_num_queries) -> str:
    first = client.get(location)
    assert first.status_code == 200
    with django_assert_num_queries(0):  # the second visitor gets it from the page cache
        second = client.get(location)
    assert second.content == first.content
    assert not second.cookies
    return second.content.decode()


def test_a_confirmed_letter_leads_to_its_own_page_with_recipients_sharing_and_next_actions(
    client, campaign, django_assert_num_queries
):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(f"/en/letters/{action.slug}/", form_data())
    response = client.post(confirm_url(Letter.objects.get()))
    assert response.status_code == 302
    assert response["Location"] == "/en/letters/release/confirmed/"

    page = confirmed_page(client, response["Location"], django_assert_num_queries)
    assert "Confirmed. It counts now." in page
    assert "Release them" in page and "Federal Minister of Labour" in page
    assert "No recipient gets your letter twice." in page
    assert "#FreeBelarusUnionists" in page and "#UnionWorkIsNoCrime" in page
    shared = unquote(page).replace("+", " ")
    assert "https://bsky.app/intent/compose?text=I have taken part: Release them." in shared
    assert 'action="/en/share/mastodon/"' in page
    # The campaign's other actions, not the one just taken.
    assert "Send a video message" in page and "Join the meeting" in page
    assert "Write a letter" not in page
    # Nothing of the writer.
    assert "Anna" not in page and "anna@example.net" not in page


def test_a_letter_by_country_says_it_goes_to_that_countrys_recipients_too_not_only_the_fixed(
    client, campaign
):
    from tests.letters.helpers import embassy_action

    president = target("Presidential Administration", "BY", Role.HEAD_OF_STATE)
    target("Embassy of Belarus in Germany", "DE", Role.EMBASSY_OF_BELARUS)
    action = embassy_action(fixed=[president])
    client.post(f"/ru/letters/{action.slug}/", form_data(language="ru"))
    letter = Letter.objects.get()
    page = client.get(client.post(confirm_url(letter))["Location"]).content.decode()
    # Not "your letter goes to: the President" alone: the embassy gets it too.
    assert "Ваше письмо получат адресаты для выбранной вами страны" in page
    assert "Presidential Administration" in page
    assert "Ваше письмо получат:" not in page
    # The confirmation mail named both.
    assert {target.name for target in letter.targets()} == {
        "Presidential Administration",
        "Embassy of Belarus in Germany",
    }


def test_confirming_again_leads_to_the_same_actions_already_page(client, campaign):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(f"/en/letters/{action.slug}/", form_data())
    url = confirm_url(Letter.objects.get())
    client.post(url)
    again = client.post(url)
    assert again["Location"] == "/en/letters/release/confirmed/already/"
    page = client.get(again["Location"]).content.decode()
    assert "This was already confirmed; nothing more to do." in page
    assert "Release them" in page


def test_a_registration_leads_to_the_events_page_with_its_calendar_links(
    client, campaign, django_assert_num_queries
):
    event = online_meeting()
    client.post(
        "/en/events/meeting/",
        {
            "name": "Ana Example",
            "email": "ana@example.org",
            "country": "Germany",
            "language": "en",
            "time_zone": "Europe/Berlin",
            "website": "",
        },
    )
    registration = Registration.objects.get()
    token = flow.action_token(registration, flow.CONFIRM)
    response = client.post(f"/en/me/confirm/{token}/")
    assert response["Location"] == "/en/events/meeting/confirmed/"
    page = confirmed_page(client, response["Location"], django_assert_num_queries)
    assert event.title in page
    assert "/en/events/meeting/calendar.ics" in page
    assert "Join the meeting" not in page  # the action just taken
    assert "Send a video message" in page
    assert event.join_url not in page
    assert "Ana Example" not in page


def test_an_endorsement_leads_to_the_submissions_page(client, campaign):
    client.post(
        "/en/submit/endorse/",
        {
            "name": "Private Contactperson",
            "email": "contact@union.example",
            "language": "en",
            "organisation": "Example Metalworkers",
            "org_country": "Germany",
            "kind": "union",
            "members": "12000",
            "statement": "We stand with our jailed colleagues.",
            "contact_role": "International secretary",
        },
    )
    token = flow.action_token(Endorsement.objects.get(), flow.CONFIRM)
    response = client.post(f"/en/me/confirm/{token}/")
    assert response["Location"] == "/en/submit/confirmed/endorsement/"
    page = client.get(response["Location"]).content.decode()
    assert "Your organisation&#x27;s endorsement" in page
    assert "A moderator looks at it before it appears." in page
    assert "Private Contactperson" not in page and "Example Metalworkers" not in page


def test_an_unknown_kind_or_action_is_not_found(client, campaign):
    assert client.get("/en/submit/confirmed/supporter/").status_code == 404
    assert client.get("/en/letters/nothing-here/confirmed/").status_code == 404
    assert client.get("/en/events/nothing-here/confirmed/").status_code == 404


def test_the_page_speaks_the_supporters_language(client, campaign):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    letter_action(fixed=[minister])
    page = client.get("/ru/letters/release/confirmed/").content.decode()
    assert "Подтверждено" in page
    page = client.get("/de/letters/release/confirmed/").content.decode()
    assert "Bestätigt" in page


def test_a_subscription_keeps_the_general_page(client, campaign):
    client.post(
        "/en/me/keep-me-informed/",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "language": "en",
            "consent_organiser_updates": "on",
            "website": "",
        },
    )
    subscription = Subscription.objects.get()
    token = flow.action_token(subscription, flow.CONFIRM)
    response = client.post(f"/en/me/confirm/{token}/")
    assert response["Location"] == "/en/me/confirmed/"
    assert client.get("/en/me/confirmed/").status_code == 200


@pytest.mark.parametrize(
    ("language", "next_title", "recipients"),
    [
        ("ru", "Что ещё вы можете сделать", "Ваше письмо получат:"),
        ("be", "Што яшчэ вы можаце зрабіць", "Ваш ліст атрымаюць:"),
        ("de", "Was Sie noch tun können", "Ihr Brief geht an:"),
    ],
)
def test_the_new_sentences_are_translated(client, campaign, language, next_title, recipients):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    letter_action(fixed=[minister])
    page = client.get(f"/{language}/letters/release/confirmed/").content.decode()
    assert next_title in page and recipients in page
