"""An admin action that changes data needs the permission of that change, not just the view
permission that opens the list: read-only roles (viewer, moderator) can post to any change list
they can read, so an action without ``allowed_permissions`` is open to them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from picketline.accounts.roles import MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.letters.models import LetterAction
from picketline.mail.models import AddressHealth
from picketline.registers.models import Person
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import letter_action
from tests.registers.helpers import make_person

pytestmark = pytest.mark.django_db

# Actions that declare no ``allowed_permissions`` on purpose, each with the reason.
READ_ONLY_OR_CHECKING_ITSELF = {
    # Writes a CSV of supporters only with ``supporters.export_personal_data``, checked in its
    # body (it answers with a message otherwise), and logs the export.
    "supporters.supporter.export_csv",
    # Checks ``supporters.export_partnercontact`` in its body, narrows the selection to the
    # user's own partner, and logs the export.
    "supporters.partnercontact.export_csv",
    # Reads the recipients (public campaign content) into a CSV; changes nothing.
    "letters.target.export_csv",
}


def every_action() -> dict[str, object]:
    """Every action of every registered ModelAdmin, as a superuser is offered it."""
    request = RequestFactory().get("/admin/")
    request.user = make_staff("root")
    found = {}
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        for name, (function, _name, _description) in model_admin.get_actions(request).items():
            found[f"{model._meta.label_lower}.{name}"] = function
    return found


def test_every_action_that_changes_data_declares_the_permission_it_needs():
    actions = every_action()
    undeclared = sorted(
        name
        for name, function in actions.items()
        if not getattr(function, "allowed_permissions", None)
        and name not in READ_ONLY_OR_CHECKING_ITSELF
    )
    assert undeclared == []
    # Spot checks that the walk reaches the actions of this fix.
    assert actions["registers.person.publish"].allowed_permissions == ("change",)
    assert actions["letters.letteraction.pause_sending"].allowed_permissions == ("change",)
    assert actions["events.hostedaction.approve"].allowed_permissions == ("review",)
    assert actions["mail.addresshealth.clear_bouncing"].allowed_permissions == ("change",)


def test_the_allow_list_names_only_actions_that_exist():
    assert READ_ONLY_OR_CHECKING_ITSELF - set(every_action()) == set()


def logged_in(client, role: str):
    ensure_roles()
    user = make_staff(f"{role}-user", superuser=False, groups=[role])
    login_verified(client, user)
    return user


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_a_read_only_role_cannot_publish_or_withdraw_a_person(client, role):
    withheld = make_person("p1", name="Withheld Prisoner", is_published=False)
    shown = make_person("p2", name="Published Prisoner", is_published=True)
    logged_in(client, role)
    url = reverse("admin:registers_person_changelist")
    page = client.get(url).content.decode()
    assert 'value="publish"' not in page and 'value="unpublish"' not in page

    client.post(url, {"action": "publish", "_selected_action": [withheld.pk]})
    client.post(url, {"action": "unpublish", "_selected_action": [shown.pk]})

    assert not Person.objects.get(pk=withheld.pk).is_published
    assert Person.objects.get(pk=shown.pk).is_published


def test_an_organiser_publishes_a_person(client):
    withheld = make_person("p1", name="Withheld Prisoner", is_published=False)
    logged_in(client, ORGANISER)
    client.post(
        reverse("admin:registers_person_changelist"),
        {"action": "publish", "_selected_action": [withheld.pk]},
    )
    assert Person.objects.get(pk=withheld.pk).is_published


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_a_read_only_role_cannot_pause_or_resume_sending(client, role):
    running = letter_action("running", paused=False)
    paused = letter_action("paused", paused=True)
    logged_in(client, role)
    url = reverse("admin:letters_letteraction_changelist")

    client.post(url, {"action": "pause_sending", "_selected_action": [running.pk]})
    client.post(url, {"action": "resume_sending", "_selected_action": [paused.pk]})

    assert not LetterAction.objects.get(pk=running.pk).paused
    assert LetterAction.objects.get(pk=paused.pk).paused


def bouncing_address() -> AddressHealth:
    return AddressHealth.objects.create(
        address_index="a" * 64, hard_failures=3, bouncing_since=timezone.now()
    )


def test_reading_the_address_health_is_not_enough_to_clear_a_mark_and_an_organiser_can(client):
    health = bouncing_address()
    url = reverse("admin:mail_addresshealth_changelist")
    reader = make_staff("reader", superuser=False)
    reader.user_permissions.add(Permission.objects.get(codename="view_addresshealth"))
    login_verified(client, reader)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "clear_bouncing", "_selected_action": [health.pk]})
    assert AddressHealth.objects.get(pk=health.pk).bouncing_since is not None

    logged_in(client, ORGANISER)
    client.post(url, {"action": "clear_bouncing", "_selected_action": [health.pk]})
    cleared = AddressHealth.objects.get(pk=health.pk)
    assert (cleared.bouncing_since, cleared.hard_failures) == (None, 0)


def test_an_organiser_clears_a_mark_only_through_the_action(client):
    health = bouncing_address()
    logged_in(client, ORGANISER)
    page = client.get(reverse("admin:mail_addresshealth_change", args=[health.pk]))
    assert page.status_code == 200
    assert 'name="bouncing_since' not in page.content.decode()
