"""A supporter who chooses a country the organisers marked as dangerous (Belarus) is warned
before anything is stored, sends no letter in their own name, and is offered safer ways to
help, among them a count of support that keeps nothing about who pressed the button."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from picketline.accounts.roles import ORGANISER, _permissions_for
from picketline.letters.models import AnonymousSupport, Delivery, Letter
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent, DangerousCountry, Supporter
from picketline.web.content import bump_content_version
from picketline.web.models import Counter
from tests.letters.helpers import confirmed_letter, embassy_action, form_data, target

pytestmark = pytest.mark.django_db

WARNING = "Please do not send this letter in your own name"
NOTHING_STORED = "Nothing you typed has been stored."


@pytest.fixture
def action():
    DangerousCountry.objects.create(code="BY")
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    return embassy_action()


def url(action, language="en", **query):
    path = reverse("letters:action", kwargs={"slug": action.slug}).replace("/en/", f"/{language}/")
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def nothing_stored() -> bool:
    return not (
        Supporter.objects.exists()
        or Letter.objects.exists()
        or Consent.objects.exists()
        or OutgoingMessage.objects.exists()
        or Counter.objects.exists()
        or AnonymousSupport.objects.exists()
    )


@pytest.mark.parametrize("step", ["preview", "send"])
def test_choosing_belarus_warns_and_stores_nothing(client, action, step):
    response = client.post(
        url(action, "ru"),
        form_data(country="BY", step=step, email="olga@example.by", name="Olga Ivanova"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("ru"):
        warning, stored = gettext(WARNING), gettext(NOTHING_STORED)
        safer = gettext("Safer ways to help")
    assert WARNING not in page and warning in page
    assert stored in page and safer in page
    assert "Беларусь" in page
    assert nothing_stored()
    # What was typed is not shown again either, and nothing offers to send it.
    assert "olga@example.by" not in page and "Olga Ivanova" not in page
    assert 'value="send"' not in page


def test_the_country_picker_warns_before_the_form_is_filled(client, action):
    response = client.get(url(action, "de", country="BY"))
    page = response.content.decode()
    with translation.override("de"):
        assert gettext(WARNING) in page
    assert reverse("letters:count_support", args=[action.slug]).replace("/en/", "/de/") in page
    assert reverse("registers:people").replace("/en/", "/de/") in page
    assert "https://bsky.app/intent/compose?" in page
    assert nothing_stored()


def test_another_country_goes_on_as_before(client, action):
    response = client.post(url(action), form_data(country="DE", step="preview"))
    page = response.content.decode()
    assert "Check your letter" in page and 'value="send"' in page
    # The warning for Belarus waits, hidden, for the script to show it when chosen.
    assert 'data-safety-country="BY"' in page and "letters/safety" in page


def test_organisers_decide_which_countries_are_dangerous(client, action):
    DangerousCountry.objects.filter(code="BY").delete()
    DangerousCountry.objects.create(code="DE")
    warned = client.post(url(action), form_data(country="DE", step="send")).content.decode()
    assert WARNING in warned and nothing_stored()
    response = client.post(url(action), form_data(country="BY", step="send"))
    assert response.status_code == 302
    assert Letter.objects.get().country == "BY"


def test_the_organiser_role_may_mark_countries():
    codenames = {permission.codename for permission in _permissions_for(ORGANISER)}
    assert {"add_dangerouscountry", "change_dangerouscountry", "delete_dangerouscountry"} <= (
        codenames
    )


def test_a_letter_from_a_country_marked_after_it_was_written_goes_nowhere(action):
    letter = confirmed_letter(action, country="BY")
    assert letter.confirmed_at is not None
    assert not Delivery.objects.exists()
    assert not OutgoingMessage.objects.filter(kind="letter").exists()


def test_counting_support_adds_one_and_keeps_nothing_about_who(client, action):
    count_url = reverse("letters:count_support", args=[action.slug])
    response = client.post(count_url, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert "stored neither your name, nor your e-mail address, nor your IP address" in (
        response.content.decode()
    )
    assert AnonymousSupport.count_for(action) == 1
    assert not (
        Supporter.objects.exists() or Consent.objects.exists() or OutgoingMessage.objects.exists()
    )
    # The only other row is the rate limit's, keyed by a hash that is not the address.
    assert all("203.0.113.7" not in key for key in Counter.objects.values_list("key", flat=True))
    row = AnonymousSupport.objects.values().get()
    assert set(row) == {"action_id", "count"}


def test_counting_support_is_rate_limited(client, action):
    count_url = reverse("letters:count_support", args=[action.slug])
    statuses = [client.post(count_url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AnonymousSupport.count_for(action) == 3
    assert client.get(count_url).status_code == 405


def test_the_action_page_shows_the_anonymous_count_only_once_it_tells_nobody_apart(client, action):
    # Those who count are in a country marked as dangerous: a number below five, shown the
    # moment it grows, would tell whoever saw one of them on this page what they did.
    for _ in range(3):
        AnonymousSupport.add_one(action)
    counted = client.post(reverse("letters:count_support", args=[action.slug]))
    assert "counted their support this way" not in counted.content.decode()
    assert "We added one to a number" in counted.content.decode()
    small = client.get(url(action)).content.decode()
    assert "counted their support" not in small
    AnonymousSupport.add_one(action)
    AnonymousSupport.add_one(action)
    bump_content_version()  # else the page cache answers with the page it kept
    page = client.get(url(action)).content.decode()
    assert "6 people counted their support without a letter in their name." in page
    # The warning waiting for the script offers the same ways as the page.
    assert "https://bsky.app/intent/compose?" in page
