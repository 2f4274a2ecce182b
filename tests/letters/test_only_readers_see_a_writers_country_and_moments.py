"""The letters' admin shows a writer's country and the exact moments they wrote and confirmed
only to those who read the letters with their writers (organisers, administrators); the
viewer and the moderator see the action, the language and the day."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from picketline.accounts.roles import MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.letters.models import LetterAction
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import confirmed_letter, letter_action, target

pytestmark = pytest.mark.django_db

WRITTEN = datetime(2030, 4, 2, 14, 37, 21, tzinfo=UTC)


@pytest.fixture
def letter():
    embassy = target("Embassy of Belarus in Poland", "PL")
    action = letter_action(fixed=[embassy], targeting=LetterAction.Targeting.FIXED)
    with time_machine.travel(WRITTEN, tick=False):
        return confirmed_letter(action, email="w@example.net", name="Writer", country="LT")


def logged_in(client, role: str) -> None:
    ensure_roles()
    login_verified(client, make_staff(f"{role}-user", superuser=False, groups=[role]))


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_a_viewer_and_a_moderator_see_neither_country_nor_moment(client, letter, role):
    logged_in(client, role)
    pages = [
        client.get(reverse("admin:letters_letter_changelist")),
        client.get(reverse("admin:letters_letter_change", args=[letter.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "April 2, 2030" in html  # the day
        assert ">LT<" not in html and "Lithuania" not in html
        assert "2:37" not in html and "14:37" not in html


def filter_links(html: str) -> list[str]:
    """The query strings of the filter links a changelist renders."""
    found = re.findall(r'<a href="(\?[^"]+)"', html.split('id="changelist-filter"', 1)[1])
    return [unescape(link) for link in found]


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_they_cannot_find_the_moment_by_filtering(client, letter, role):
    logged_in(client, role)
    url = reverse("admin:letters_letter_changelist")
    links = filter_links(client.get(url).content.decode())
    assert links
    for link in links:  # every filter the page offers them works
        assert client.get(url + link).status_code == 200, link
    assert client.get(url, {"confirmed_at__isnull": "False"}).status_code == 200
    assert client.get(url, {"action__id__exact": letter.action_id}).status_code == 200
    for lookup in ("confirmed_at__gte", "created_at__lt"):
        assert client.get(url, {lookup: "2030-04-02 14:37:00"}).status_code == 400, lookup
    assert client.get(url, {"country": "LT"}).status_code == 400


def test_an_organiser_sees_the_country_and_the_moments(client, letter):
    logged_in(client, ORGANISER)
    html = client.get(reverse("admin:letters_letter_changelist")).content.decode()
    assert '<td class="field-country">LT</td>' in html
    assert "2:37" in html or "14:37" in html
    url = reverse("admin:letters_letter_changelist")
    assert client.get(url, {"confirmed_at__gte": "2030-04-02 14:37:00"}).status_code == 200


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_nor_through_the_deliveries(client, letter, role):
    from picketline.letters.models import Delivery

    delivery = Delivery.objects.create(
        action=letter.action,
        letter=letter,
        target=letter.action.fixed_targets.get(),
        created_at=WRITTEN,
        scheduled_for=WRITTEN,
    )
    logged_in(client, role)
    url = reverse("admin:letters_delivery_changelist")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Embassy of Belarus in Poland" not in html and "2030" not in html
    change = reverse("admin:letters_delivery_change", args=[delivery.pk])
    assert change not in html
    # Its own page is named after the letter and the recipient: not theirs to open.
    assert client.get(change).status_code == 403
    for link in filter_links(html):
        assert client.get(url + link).status_code == 200, link
    assert client.get(url, {"letter": letter.pk}).status_code == 400
    assert client.get(url, {"target__country": "PL"}).status_code == 400


def test_an_organiser_sees_the_deliveries_recipients(client, letter):
    from picketline.letters.models import Delivery

    Delivery.objects.create(
        action=letter.action, letter=letter, target=letter.action.fixed_targets.get()
    )
    logged_in(client, ORGANISER)
    html = client.get(reverse("admin:letters_delivery_changelist")).content.decode()
    assert "Embassy of Belarus in Poland" in html
