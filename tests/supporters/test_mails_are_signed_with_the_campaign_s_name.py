"""A mail to a supporter is signed with the campaign's own name, in the reader's language, and
links the site in that language: the platform runs any campaign, not only the one it was built
for first."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from picketline.campaigns.models import Campaign
from picketline.mail.outbox import send_due
from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Free the dockers of Quirinstadt"), ("ru", "Свободу докерам")]
)
def test_the_confirmation_mail_is_signed_with_the_campaign_and_links_the_site_in_its_language(
    settings, smtp_server, language, title
):
    Campaign.objects.create(
        slug="dockers",
        title="Free the dockers of Quirinstadt",
        title_ru="Свободу докерам",
        is_current=True,
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 5, 1),
    )
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    with translation.override(language):
        page = reverse("letters:action", kwargs={"slug": action.slug})
    assert Client().post(page, form_data(language=language)).status_code == 302
    send_due()

    (sent,) = smtp_server.to("anna@example.net")
    text = sent.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = sent.get_body(("html",)).get_content()
    home = f"{settings.SITE_URL}/{language}/"
    assert f"-- \n{title}\n{home}\n" in text  # the signature itself, not any link in the mail
    assert f'{title}<br><a href="{home}">{home}</a>' in html
    for body in (text, html):
        assert "Trade union activity is not extremism" not in body
