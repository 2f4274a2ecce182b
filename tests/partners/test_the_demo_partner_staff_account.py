"""The demo has a login for a member of staff of one demo partner, so the partner's view can be
tried: it sees that partner's record and the supporters who agreed to hear from it, and
nothing of another partner or of the campaign's people."""

import stat

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from picketline.demo.account import ensure_demo_organiser, ensure_demo_partner_staff
from picketline.lib.demo_dates import DemoDates
from picketline.partners import demo as partners_demo
from picketline.partners.models import Partner, PartnerMembership, partner_of
from tests.fixtures.accounts import login_verified

from .test_partner_staff import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # The demo's partners (``load_demo`` loads them among the rest; this is the part needed).
    partners_demo.load(DemoDates.original())
    contact(Partner.objects.get(slug="ituc"), "ana@example.org", "Ana Ituc")
    contact(Partner.objects.get(slug="etuc"), "bo@example.org", "Bo Etuc")


def test_it_logs_in_with_its_password_and_works_for_the_demo_ituc(demo, tmp_path):
    username, password, partner = ensure_demo_partner_staff(tmp_path)
    assert (username, partner) == ("ituc-staff", "International Trade Union Confederation (ITUC)")
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_staff and not user.is_superuser
    assert partner_of(user) == Partner.objects.get(slug="ituc")
    assert [group.name for group in user.groups.all()] == ["partner staff"]
    assert stat.S_IMODE((tmp_path / "partner_staff_password").stat().st_mode) == 0o600


def test_it_sees_only_its_partner(client, demo, tmp_path):
    username, _password, _partner = ensure_demo_partner_staff(tmp_path)
    login_verified(client, PartnerMembership.objects.get(user__username=username).user)
    partners = client.get(reverse("admin:partners_partner_changelist"))
    assert partners.status_code == 200
    listing = partners.content.decode()
    assert "(ITUC)" in listing and "(ETUC)" not in listing and "ver.di" not in listing
    contacts = client.get(reverse("admin:supporters_partnercontact_changelist")).content.decode()
    assert "Ana Ituc" in contacts and "Bo Etuc" not in contacts
    etuc = Partner.objects.get(slug="etuc")
    assert client.get(reverse("admin:partners_partner_change", args=[etuc.pk])).status_code in (
        302,
        404,
    )
    assert client.get(reverse("admin:supporters_supporter_changelist")).status_code == 403
    assert client.get(reverse("dashboard:figures")).status_code == 403


def test_running_the_demo_again_keeps_one_account_and_its_password(demo, tmp_path):
    first = ensure_demo_partner_staff(tmp_path)
    ensure_demo_organiser(tmp_path)
    assert ensure_demo_partner_staff(tmp_path) == first
    assert PartnerMembership.objects.filter(user__username="ituc-staff").count() == 1
    assert (tmp_path / "organiser_password").read_text() != (
        tmp_path / "partner_staff_password"
    ).read_text()
