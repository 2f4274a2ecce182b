"""Organiser pages outside the admin ask for the second factor as the admin does: a staff
session that typed its password but not its TOTP code sees no supporter's letter."""

import pytest
from django.urls import reverse

from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import confirmed_letter, embassy_action, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    target("Embassy of Belarus in Germany", "DE")
    return confirmed_letter(embassy_action())


def password_only(client):
    user = make_staff("half-in")
    assert client.login(username="half-in", password="not-used-in-tests")
    return user


def test_a_password_without_the_code_gets_no_letter_pdf(client, letter):
    password_only(client)
    url = reverse("letters:organiser_pdf", kwargs={"letter_id": letter.pk})
    assert client.get(url).status_code == 403


def test_a_password_without_the_code_gets_no_bundle(client, letter):
    password_only(client)
    url = reverse(
        "letters:target_bundle_pdf",
        kwargs={"action_id": letter.action_id, "target_id": letter.targets()[0].pk},
    )
    assert client.get(url).status_code == 403


def test_a_verified_organiser_gets_the_letter_pdf(client, letter):
    login_verified(client, make_staff("whole"))
    url = reverse("letters:organiser_pdf", kwargs={"letter_id": letter.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_anonymous_visitor_is_sent_to_log_in(client, letter):
    url = reverse("letters:organiser_pdf", kwargs={"letter_id": letter.pk})
    response = client.get(url)
    assert response.status_code == 302
