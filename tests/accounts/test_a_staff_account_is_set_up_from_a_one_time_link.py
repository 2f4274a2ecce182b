"""A new staff account is set up through a one-time, expiring link that an administrator makes:
the password and the authenticator app together. Knowing a staff password is not enough to
enrol an authenticator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.invitations import invite
from picketline.accounts.models import StaffInvitation
from tests.accounts.otp import totp_code
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "stitch-the-banner-at-dawn"


def path_of(link: str) -> str:
    return link[link.index("/admin/") :]


def set_up(client, link: str, password: str = PASSWORD, code: str | None = None):
    page = client.get(path_of(link))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    data = {
        "email": "nadia@example.org",
        "new_password1": password,
        "new_password2": password,
        "token": code or totp_code(device),
    }
    return client.post(path_of(link), data)


def test_the_link_sets_the_password_and_the_authenticator_and_logs_in(client):
    user, link = invite("nadia", created_by="root", role="organiser")
    assert link.startswith("http") and "/admin/welcome/" in link
    assert not user.has_usable_password() and user.is_staff
    page = client.get(path_of(link)).content.decode()
    assert 'src="data:image/svg+xml' in page and "nadia" in page
    response = set_up(client, link)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert list(TOTPDevice.objects.values_list("user__username", "confirmed")) == [("nadia", True)]
    assert user.groups.filter(name="organiser").exists()


def test_the_person_gives_their_own_address_so_that_tests_and_digests_reach_them(client):
    user, link = invite("nadia", created_by="root", role="organiser")
    assert user.email == ""
    page = client.get(path_of(link), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Ваш адрес электронной почты" in page
    assert set_up(client, link).status_code == 302
    user.refresh_from_db()
    assert user.email == "nadia@example.org"


def test_the_link_works_once(client):
    _user, link = invite("nadia", created_by="root")
    assert set_up(client, link).status_code == 302
    client.logout()
    again = client.get(path_of(link))
    assert again.status_code == 404
    assert "does not work" in again.content.decode()


def test_the_link_expires(client):
    _user, link = invite("nadia", created_by="root", lifetime=timedelta(hours=2))
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        assert client.get(path_of(link)).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_a_newer_link_replaces_an_older_one(client):
    _user, first = invite("nadia", created_by="root")
    _user, second = invite("nadia", created_by="root")
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200


def test_a_wrong_code_or_a_weak_password_sets_up_nothing(client):
    user, link = invite("nadia", created_by="root")
    assert set_up(client, link, code="000000").status_code == 200
    assert set_up(client, link, password="nadia").status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert StaffInvitation.objects.usable().count() == 1
    assert client.get("/admin/").status_code == 302


def test_only_a_hash_of_the_token_is_stored():
    _user, link = invite("nadia", created_by="root")
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = StaffInvitation.objects.get()
    assert token not in stored.token_hash and len(token) >= 40


def test_a_link_for_an_existing_account_replaces_its_lost_authenticator(client):
    user = make_staff("nadia", superuser=False)
    old = TOTPDevice.objects.create(user=user, name="lost phone", confirmed=True)
    _user, link = invite("nadia", created_by="root")
    assert set_up(client, link).status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_a_staff_password_alone_cannot_enrol_an_authenticator(client):
    User.objects.create_user("mallory", password=PASSWORD, is_staff=True)
    response = client.post("/admin/login/", {"username": "mallory", "password": PASSWORD})
    assert response.status_code == 403
    assert not TOTPDevice.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_administrator_makes_a_link_in_the_admin_and_sees_it_once(client):
    login_verified(client, make_staff("root"))
    form = client.get("/admin/accounts/staffinvitation/add/")
    assert form.status_code == 200
    made = client.post(
        "/admin/accounts/staffinvitation/add/",
        {"username": "nadia", "role": "moderator", "hours": "24"},
    )
    link = re.search(r'id="set-up-link">([^<]+)<', made.content.decode()).group(1)
    assert "no-store" in made["Cache-Control"]
    listing = client.get("/admin/accounts/staffinvitation/").content.decode()
    assert link not in listing and path_of(link) not in listing
    client.logout()
    assert set_up(client, link).status_code == 302
    nadia = User.objects.get(username="nadia")
    assert nadia.groups.filter(name="moderator").exists()


def test_organisers_cannot_make_links(client):
    from picketline.accounts.roles import ensure_roles

    ensure_roles()
    login_verified(client, make_staff("orga", superuser=False, groups=["organiser"]))
    assert client.get("/admin/accounts/staffinvitation/add/").status_code == 403
    assert (
        client.post("/admin/accounts/staffinvitation/add/", {"username": "x", "hours": "2"})
    ).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_the_command_prints_a_working_link(client, capsys):
    call_command("invite_organiser", "first-admin", "--role", "administrator", "--hours", "1")
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert set_up(client, link).status_code == 302
    assert client.get("/admin/auth/user/").status_code == 200
