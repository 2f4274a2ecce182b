"""The pages a confirmation mail's links open come from one stored copy per language and state
(``supporters.link_pages``): each visitor still sees their own action, their own link in the
language switcher, and a button whose CSRF token is theirs."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from picketline.letters.models import Letter, Role
from picketline.supporters import flow
from picketline.supporters.models import Supporter
from tests.letters.helpers import embassy_action, target

pytestmark = pytest.mark.django_db

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def letter_from(country: str, email: str) -> Letter:
    supporter, _ = Supporter.get_or_create_for_email(email, name="Ana Example")
    action = embassy_action() if not Letter.objects.exists() else Letter.objects.first().action
    return Letter.objects.create(
        action=action, supporter=supporter, country=country, language="en", organisation="x"
    )


def link(letter: Letter, what: str = flow.CONFIRM) -> tuple[str, str]:
    token = flow.action_token(letter, what)
    view = "supporters:confirm" if what == flow.CONFIRM else "supporters:reject"
    return token, reverse(view, kwargs={"token": token})


@pytest.fixture
def two_letters():
    target("Embassy in Berlin", "DE")
    target("Embassy in <Paris>", "FR")
    return letter_from("DE", "ana@example.org"), letter_from("FR", "ben@example.org")


@pytest.mark.parametrize("what", [flow.CONFIRM, flow.REJECT])
def test_each_visitor_sees_their_own_action_and_link(two_letters, what):
    first, second = two_letters
    first_token, first_path = link(first, what)
    second_token, second_path = link(second, what)
    Client().get(first_path)  # stores the page
    page = Client().get(second_path).content.decode()
    assert "Embassy in &lt;Paris&gt;" in page  # escaped, as the template escapes it
    assert "Embassy in Berlin" not in page
    assert first_token not in page
    assert f"/ru/me/{'confirm' if what == flow.CONFIRM else 'not-me'}/{second_token}/" in page


def test_the_button_of_a_stored_page_confirms_with_the_visitors_own_token(two_letters):
    first, second = two_letters
    Client().get(link(first)[1])
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(link(second)[1])
    token = CSRF_FIELD.search(page.content.decode()).group(1)
    assert "picketline" not in token  # the hole was filled
    response = visitor.post(link(second)[1], {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.confirmed_at is not None
    assert first.confirmed_at is None


def test_opening_a_link_confirms_nothing_even_from_the_stored_page(two_letters):
    first, second = two_letters
    Client().get(link(first)[1])
    Client().get(link(second)[1])
    assert not Letter.objects.filter(confirmed_at__isnull=False).exists()


def test_a_confirmed_action_shows_no_button_after_an_open_one_was_stored(two_letters):
    first, second = two_letters
    Client().get(link(first)[1])
    second.confirm()
    page = Client().get(link(second)[1]).content.decode()
    assert "This is already confirmed" in page
    assert "<form" not in page.split("<main", 1)[1]
    page = Client().get(link(first)[1]).content.decode()
    assert "Yes, I confirm" in page


def test_each_language_has_its_own_copy(two_letters):
    first, second = two_letters
    Client().get(link(first)[1])
    path = link(second)[1].replace("/en/", "/ru/", 1)
    page = Client().get(path).content.decode()
    assert '<html lang="ru">' in page


def test_a_visit_with_a_query_is_rendered_for_itself(two_letters):
    first, second = two_letters
    Client().get(link(first)[1])
    page = Client().get(link(second)[1] + "?utm_source=mail").content.decode()
    assert "utm_source=mail" in page  # the language links keep it
    assert "Embassy in &lt;Paris&gt;" in page


def test_an_unknown_role_still_gets_a_summary():
    # A letter that finds no recipient at all is still named on its page.
    target("Ministry", "BY", Role.FOREIGN_MINISTRY)
    letter = letter_from("ZZ", "cy@example.org")
    page = Client().get(link(letter)[1]).content.decode()
    assert "Release them" in page
