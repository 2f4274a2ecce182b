"""Organiser log-in: TOTP required outside demo, throttled; roles; audit log."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import ROLES, ensure_roles
from picketline.supporters.models import Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.create_user("orga", password="a-long-password-1", is_staff=True)


def code_for(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


def log_in(client, username="orga", password="a-long-password-1"):
    return client.post("/admin/login/", {"username": username, "password": password})


def test_a_password_without_a_device_opens_nothing_and_enrols_nothing(client, staff):
    response = log_in(client)
    assert response.status_code == 403
    assert "ask them for a set-up link" in response.content.decode()
    assert "data:image/svg+xml" not in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/otp/verify/")["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.exists()


def test_a_staff_member_with_a_device_must_type_a_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = log_in(client)
    assert response["Location"].startswith("/admin/otp/verify/")
    assert client.get("/admin/").status_code == 302
    assert client.post(response["Location"], {"token": "123456"}).status_code == 200
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        right = client.post(response["Location"], {"token": code_for(device)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_demo_lets_organisers_in_with_a_password(client, staff, settings):
    settings.DEMO = True
    response = log_in(client)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_it_throttles_failed_log_ins_even_with_the_right_password_after(client, staff):
    for _ in range(5):
        assert log_in(client, password="wrong").status_code == 200
    blocked = log_in(client)
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    # An unknown account gets the same answer.
    for _ in range(5):
        assert log_in(client, username="nobody", password="x").status_code == 200
    assert log_in(client, username="nobody", password="x").status_code == 429


def test_a_non_staff_user_cannot_log_in_to_the_admin(client):
    User.objects.create_user("member", password="a-long-password-1")
    response = log_in(client, username="member")
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_it_creates_the_roles_idempotently():
    ensure_roles()
    ensure_roles()
    call_command("setup_roles")
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLES)
    organiser = Group.objects.get(name="organiser")
    viewer = Group.objects.get(name="viewer")
    codenames = set(organiser.permissions.values_list("codename", flat=True))
    assert "view_personal_data" in codenames
    assert not viewer.permissions.filter(content_type__app_label="supporters").exists()
    assert Group.objects.get(name="administrator").permissions.filter(codename="add_user").exists()


def test_organisers_read_the_audit_log_and_nobody_else_below_administrator():
    ensure_roles()

    def audit_permissions(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        found = group.permissions.filter(content_type__app_label="accounts")
        return set(found.values_list("codename", flat=True))

    assert audit_permissions("organiser") == {"view_auditentry"}
    assert audit_permissions("moderator") == set()
    assert audit_permissions("viewer") == set()
    assert "change_auditentry" in audit_permissions("administrator")


def test_the_audit_log_is_listed_under_accounts_in_the_admin(client):
    client.force_login(User.objects.create_superuser("root", password="a-long-password-1"))
    AuditEntry.objects.create(username="orga", action=AuditEntry.Action.LIST, what="x list")
    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.get("/admin/supporters/auditentry/").status_code == 404


@pytest.fixture
def verified_organiser(client, settings):
    settings.DEMO = True  # password log-in; OTP is covered above
    ensure_roles()
    user = User.objects.create_user("orga", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="organiser"))
    log_in(client)
    return user


def test_it_logs_every_view_of_personal_data_without_the_data(client, verified_organiser):
    supporter, _ = Supporter.get_or_create_for_email("audit.me@example.org", name="Audita")
    page = client.get(f"/admin/supporters/supporter/{supporter.pk}/change/")
    assert page.status_code == 200
    assert "audit.me@example.org" in page.content.decode()
    entry = AuditEntry.objects.get(action="view")
    assert entry.username == "orga"
    assert entry.what == f"supporters.supporter #{supporter.pk}"
    client.get("/admin/supporters/supporter/")
    assert AuditEntry.objects.filter(action="list").count() == 1
    for entry in AuditEntry.objects.all():
        assert "audit.me" not in entry.what and "Audita" not in entry.what


def test_it_logs_exports(client, verified_organiser):
    supporter, _ = Supporter.get_or_create_for_email("audit.me@example.org", name="Audita")
    response = client.post(
        "/admin/supporters/supporter/",
        {"action": "export_csv", "_selected_action": [supporter.pk]},
    )
    assert response.status_code == 200
    assert "audit.me@example.org" in response.content.decode()
    assert AuditEntry.objects.get(action="export").what == "supporters.supporter 1"


def test_a_viewer_sees_no_personal_data(client, settings):
    settings.DEMO = True
    ensure_roles()
    user = User.objects.create_user("view", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="viewer"))
    log_in(client, username="view")
    supporter, _ = Supporter.get_or_create_for_email("hidden@example.org", name="Hidden")
    response = client.get(f"/admin/supporters/supporter/{supporter.pk}/change/")
    assert response.status_code in (302, 403)
    assert not re.search("hidden@example.org", response.content.decode())


def test_force_login_in_tests_passes_the_second_factor(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_code_must_follow_the_password_within_minutes(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = log_in(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        late = client.post(response["Location"], {"token": code_for(device)})
    assert late.status_code == 302
    assert late["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_the_password_step_sends_to_log_in(client, staff):
    assert client.get("/admin/otp/verify/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/otp/setup/").status_code in (302, 404)  # no such page
    assert not TOTPDevice.objects.exists()
