"""An embed's form posted from anywhere but its own page is refused with a page of its own, in
the reader's language, that says nothing was stored and links to the same action on our site."""

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.letters.models import Letter
from picketline.mail.models import OutgoingMessage
from picketline.partners.models import Partner
from picketline.submissions.models import Endorsement, VideoMessage
from picketline.supporters.models import Supporter
from tests.letters.helpers import embassy_action, form_data, target
from tests.submissions.test_endorsements_and_reports import endorsement_data

from .test_every_action_can_be_embedded import embeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def etuc():
    return Partner.objects.create(name="ETUC", slug="etuc", origins="https://www.etuc.org")


HEADING = {
    "en": "Your form was not sent",
    "ru": "Ваша форма не отправлена",
    "be": "Вашая форма не адпраўленая",
    "de": "Ihr Formular wurde nicht gesendet",
}


def refused(client, url, data):
    return client.post(url, data, HTTP_ORIGIN="https://evil.example")


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_it_says_what_happened_in_the_readers_language_and_links_the_letter(client, etuc, language):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    with translation.override(language):
        url = reverse("letters_embed:action", kwargs={"partner": "etuc", "slug": action.slug})
        own = reverse("letters:action", kwargs={"slug": action.slug})
    answer = refused(client, url, form_data())
    assert answer.status_code == 403
    assert not Letter.objects.exists()
    html = answer.content.decode()
    assert f"<h1>{HEADING[language]}</h1>" in html
    assert f'href="{own}"' in html and own.startswith(f"/{language}/")
    assert "ETUC supports" in html or language != "en"  # the embed's own layout
    if language != "en":
        assert "Your browser did not tell us" not in html
        assert "Take this action on our site" not in html
    # Still the embed's answer: framed by the partner only.
    assert "frame-ancestors https://www.etuc.org" in answer["Content-Security-Policy"]


@pytest.mark.parametrize(
    "kind, own_name, own_kwargs",
    [
        ("registration", "events:detail", {"slug": "meeting"}),
        ("endorsement", "submissions:endorse_form", {}),
        ("video", "submissions:video_form", {}),
    ],
)
def test_each_action_links_its_own_page(client, etuc, kind, own_name, own_kwargs):
    url, data, model = embeds(etuc)[kind]
    answer = refused(client, url, data)
    assert answer.status_code == 403
    assert not model.objects.exists()
    assert f'href="{reverse(own_name, kwargs=own_kwargs)}"' in answer.content.decode()


def test_a_browser_naming_no_origin_gets_the_same_page_and_nothing_is_kept_or_sent(client, etuc):
    url = reverse("submissions_embed:endorse_form", kwargs={"partner": "etuc"})
    answer = client.post(url, endorsement_data())
    assert answer.status_code == 403
    assert "We stored nothing and sent no e-mail." in answer.content.decode()
    assert not Endorsement.objects.exists() and not VideoMessage.objects.exists()
    assert not Supporter.objects.exists()
    assert not OutgoingMessage.objects.exists()
