"""A letter form sent back with a mistake, without JavaScript, reloads at the top of a long page:
the top says so, in the reader's language, announced, and links the first field in error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.letters.helpers import embassy_action, form_data, target

pytestmark = pytest.mark.django_db


def top_of(page: str) -> str:
    """The page above the list of recipients, which comes before the form."""
    return page[: page.index('class="letter-recipients"')]


def summary_link(page: str) -> str:
    (link,) = re.findall(
        r'<div class="form-errors" role="alert"[^>]*>.*?href="#([^"]+)"', page, re.S
    )
    return link


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Please look at the fields marked below."),
        ("ru", "Проверьте отмеченные ниже поля."),
        ("be", "Праверце пазначаныя ніжэй палі."),
        ("de", "Bitte sehen Sie sich die unten markierten Felder an."),
    ],
)
def test_the_top_of_the_page_says_a_field_needs_looking_at(client, language, said):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = f"/{language}" + reverse("letters:action", kwargs={"slug": action.slug})[3:]

    response = client.post(url, form_data(email="not an address"))

    assert response.status_code == 200
    page = response.content.decode()
    assert said in top_of(page)
    assert summary_link(page) == "id_email"
    assert 'id="id_email"' in page


def test_it_links_the_first_field_in_error_as_the_page_orders_them(client):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug})

    page = client.post(url, form_data(consent_send_in_my_name=None)).content.decode()
    assert summary_link(top_of(page)) == "id_consent_send_in_my_name"

    page = client.post(
        url, form_data(consent_send_in_my_name=None, role="x" * 201)
    ).content.decode()
    # The role is asked above the consents on the page.
    assert summary_link(top_of(page)) == "id_role"


def test_a_form_sent_without_a_mistake_shows_no_summary(client):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    url = reverse("letters:action", kwargs={"slug": action.slug})

    page = client.post(url, form_data(step="preview")).content.decode()

    assert 'class="form-errors"' not in page
