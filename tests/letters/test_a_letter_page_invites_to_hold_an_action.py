"""The campaign asks supporters to write to the Government of Belarus *and* to hold actions
outside its embassies: a letter action the organisers mark so leads from its page to proposing
an action, to the map of actions and to reporting one, in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.letters import demo
from picketline.letters.models import LetterAction
from picketline.lib.demo_dates import DemoDates
from picketline.partners.models import Partner
from tests.letters.helpers import embassy_action

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "Hold an action too",
    "ru": "Проведите и акцию",
    "be": "Правядзіце і акцыю",
    "de": "Halten Sie auch eine Aktion ab",
}


def links(language: str) -> list[str]:
    with translation.override(language):
        return [
            reverse("events:hosted_propose"),
            reverse("events:hosted_list"),
            reverse("submissions:report_form"),
        ]


def page(client, action: LetterAction, language: str) -> str:
    with translation.override(language):
        url = reverse("letters:action", kwargs={"slug": action.slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_the_page_links_proposing_seeing_and_reporting_an_action(client, language):
    action = embassy_action(invite_to_hold_actions=True)
    html = page(client, action, language)
    assert f'<h2 id="hold-action-title">{HEADINGS[language]}</h2>' in html
    for link in links(language):
        assert f'href="{link}"' in html


def test_an_action_not_marked_does_not(client):
    action = embassy_action()
    html = page(client, action, "en")
    assert "hold-action-title" not in html
    assert f'href="{reverse("submissions:report_form")}"' not in html


def test_the_section_stays_off_a_partners_embed(client):
    action = embassy_action(invite_to_hold_actions=True)
    Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")
    url = reverse("letters_embed:action", kwargs={"partner": "etuc", "slug": action.slug})
    html = client.get(url).content.decode()
    assert "Sign and send" in html
    assert "hold-action-title" not in html


def test_the_demo_release_letter_invites_and_the_others_do_not():
    demo.load(DemoDates.original())
    invites = dict(LetterAction.objects.values_list("slug", "invite_to_hold_actions"))
    assert invites.pop("release-the-unionists") is True
    assert not any(invites.values())
