"""A traffic spike meets the letter form as a cached page; each visitor still gets a CSRF token of
their own, only good with their own cookie, and nobody sees what another typed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from picketline.letters.models import Letter, Role
from tests.letters.helpers import form_data, letter_action, target

pytestmark = pytest.mark.django_db


def token_in(page) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1].decode()


def test_two_visitors_get_the_cached_form_with_their_own_tokens(django_assert_num_queries):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    url = reverse("letters:action", kwargs={"slug": letter_action(fixed=[minister]).slug})
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_page = alice.get(url)
    with django_assert_num_queries(0):  # from the page cache
        bob_page = bob.get(url)
    assert token_in(alice_page) != token_in(bob_page)
    assert "no-store" not in bob_page.headers.get("Cache-Control", "")

    # Bob cannot send with Alice's token; each sends with their own.
    stolen = bob.post(
        url, {**form_data(email="bob@example.org"), "csrfmiddlewaretoken": token_in(alice_page)}
    )
    assert stolen.status_code == 403
    for client, page, email in (
        (alice, alice_page, "alice@example.org"),
        (bob, bob_page, "bob@example.org"),
    ):
        sent = client.post(url, {**form_data(email=email), "csrfmiddlewaretoken": token_in(page)})
        assert sent.status_code == 302
    assert Letter.objects.count() == 2


def test_what_a_visitor_typed_never_reaches_another_visitors_page():
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    url = reverse("letters:action", kwargs={"slug": letter_action(fixed=[minister]).slug})
    alice = Client()
    alice.get(url)
    preview = alice.post(url, form_data(name="Alice Secretname", step="preview"))
    assert "Alice Secretname" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    error = alice.post(url, form_data(name="Alice Secretname", consent_send_in_my_name=None))
    assert "Alice Secretname" in error.content.decode()
    for page in (Client().get(url), Client().get(url, {"country": "DE"})):
        assert "Alice Secretname" not in page.content.decode()
