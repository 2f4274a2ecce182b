"""What each role (``picketline setup_roles``) sees on the Day-of-Action pages: the event admin
in local time, the per-language message, the link to the door. The door itself is in
test_check_in (``test_each_role_at_the_door``); the host's page needs no role, only the host's
link (test_the_host_s_page)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from picketline.accounts.roles import ensure_roles
from tests.events.helpers import confirmed_registration, online_meeting
from tests.events.test_hosted import hosted

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "moderator", "organiser", "administrator"]


@pytest.fixture
def event():
    event = online_meeting()  # 09:30 in Brussels
    confirmed_registration(event, "ana@example.org")
    return event


def as_role(role: str) -> Client:
    ensure_roles()
    user = User.objects.create_user(f"role-{role}", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_event_times_in_the_event_s_zone(event, role):
    client = as_role(role)
    listing = client.get("/admin/events/event/").content.decode()
    assert "2030-04-19 09:30 (Europe/Brussels)" in listing
    change = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "2030-04-19 09:30 (Europe/Brussels) – 2030-04-19 11:00 (Europe/Brussels)" in change
    editable = 'name="starts_at_1"' in change
    assert editable is (role in ("organiser", "administrator"))
    if editable:
        assert 'value="09:30:00"' in change


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("viewer", False), ("moderator", False), ("organiser", True), ("administrator", True)],
)
def test_only_organisers_write_to_registrants_in_each_language(event, role, allowed):
    client = as_role(role)
    page = client.get("/en/events/organise/meeting/message/")
    assert page.status_code == (200 if allowed else 403)
    if allowed:
        text = page.content.decode()
        assert 'name="subject_ru"' in text and 'name="text_be"' in text
        assert "ana@example.org" not in text  # a count of readers, no addresses


@pytest.mark.parametrize(
    ("role", "sees_door"),
    [("viewer", False), ("moderator", False), ("organiser", True), ("administrator", True)],
)
def test_the_registrants_page_links_the_door_for_those_who_may_open_it(event, role, sees_door):
    page = as_role(role).get("/en/events/organise/meeting/").content.decode()
    assert ("/en/events/organise/meeting/check-in/" in page) is sees_door


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("moderator", 403), ("organiser", 200), ("administrator", 200)],
)
def test_a_hosted_action_s_local_time_is_for_those_who_may_read_it(role, status):
    action = hosted()  # the host's words: organisers and administrators only
    page = as_role(role).get(f"/admin/events/hostedaction/{action.pk}/change/")
    assert page.status_code == status
    if status == 200:
        assert "2030-04-19 12:00 (Europe/Vilnius)" in page.content.decode()
