"""A partner's staff see their own partner's figures and contacts, and nothing of another's;
every look and export is audited, and the export goes through the one CSV writer."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import ensure_roles
from picketline.lib.small_counts import SMALLEST_SHOWN
from picketline.partners.models import Partner, PartnerMembership
from picketline.supporters.models import Consent, Subscription, Supporter
from tests.fixtures.accounts import login_verified, make_staff
from tests.submissions.helpers import png_bytes

pytestmark = pytest.mark.django_db

CONTACTS = reverse("admin:supporters_partnercontact_changelist")


def contact(partner, email, name, *, confirmed=True, source="embed"):
    supporter, _ = Supporter.get_or_create_for_email(email, name=name)
    action = Subscription.objects.create(
        supporter=supporter, partner=partner, source=source, confirmed_at=None
    )
    Consent.record(
        supporter,
        Consent.Purpose.PARTNER_UPDATES,
        f"Give my name to {partner.name}",
        "en",
        "/en/embed/",
        partner=partner,
        action=action,
        confirmed=confirmed,
    )
    if confirmed:
        action.confirm()
    return supporter


@pytest.fixture
def world():
    ensure_roles()
    ituc = Partner.objects.create(name="ITUC", slug="ituc")
    verdi = Partner.objects.create(name="ver.di", slug="verdi")
    contact(ituc, "ana@example.org", "Ana Ituc")
    contact(verdi, "bo@example.org", "Bo Verdi", source="link:newsletter")
    contact(ituc, "cy@example.org", "Cy Unconfirmed", confirmed=False)
    staff = make_staff("ituc-staff", superuser=False, groups=["partner staff"])
    PartnerMembership.objects.create(user=staff, partner=ituc)
    return {"ituc": ituc, "verdi": verdi, "staff": staff}


def test_partner_staff_see_only_their_partners_consenting_supporters(client, world):
    login_verified(client, world["staff"])
    page = client.get(CONTACTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ana Ituc" in html and "ana@example.org" in html
    assert "Bo Verdi" not in html  # another partner's
    assert "Cy Unconfirmed" not in html  # never confirmed
    assert AuditEntry.objects.filter(username="ituc-staff", action=AuditEntry.Action.LIST).exists()


def test_partner_staff_cannot_open_another_partners_contact(client, world):
    login_verified(client, world["staff"])
    other = Consent.objects.get(partner=world["verdi"])
    url = reverse("admin:supporters_partnercontact_change", args=[other.pk])
    assert client.get(url).status_code in (302, 404)  # the admin says "does not exist"


def test_partner_staff_see_their_own_figures_and_no_other_partner(client, world):
    login_verified(client, world["staff"])
    listing = client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert "ITUC" in listing and "ver.di" not in listing
    mine = client.get(reverse("admin:partners_partner_change", args=[world["ituc"].pk]))
    assert mine.status_code == 200
    assert "keep-me-informed sign-ups" in mine.content.decode()
    theirs = client.get(reverse("admin:partners_partner_change", args=[world["verdi"].pk]))
    assert theirs.status_code in (302, 404)
    # Nothing else of the campaign's people.
    assert client.get(reverse("admin:supporters_supporter_changelist")).status_code == 403
    assert client.get(reverse("admin:supporters_consent_changelist")).status_code == 403


def test_the_export_holds_only_their_contacts_and_is_audited(client, world):
    login_verified(client, world["staff"])
    every = Consent.objects.filter(purpose=Consent.Purpose.PARTNER_UPDATES)
    answer = client.post(
        CONTACTS,
        {
            "action": "export_csv",
            "_selected_action": [str(pk) for pk in every.values_list("pk", flat=True)],
        },
    )
    assert answer["Content-Type"].startswith("text/csv")
    rows = answer.content.decode().splitlines()
    # What the consent names (the name and the address), not the language.
    assert rows[0] == "partner,name,email,given_at"
    assert len(rows) == 2 and "ana@example.org" in rows[1]
    assert AuditEntry.objects.filter(
        username="ituc-staff", action=AuditEntry.Action.EXPORT, what="supporters.partnercontact 1"
    ).exists()


def test_partner_staff_see_the_name_and_address_not_what_the_person_did(client, world):
    login_verified(client, world["staff"])
    own = Consent.objects.get(partner=world["ituc"], confirmed_at__isnull=False)
    page = client.get(reverse("admin:supporters_partnercontact_change", args=[own.pk]))
    html = page.content.decode()
    assert "Ana Ituc" in html and "ana@example.org" in html
    # The page the consent was given on tells which action the person took.
    assert "/en/embed/" not in html
    assert "field-language" not in html and "field-page" not in html
    assert "column-language" not in client.get(CONTACTS).content.decode()
    # Nor by filtering the list through its address.
    for lookup in (
        "language=en",
        "page__startswith=/en/embed/",
        "action_type=supporters.subscription",
    ):
        assert client.get(f"{CONTACTS}?{lookup}").status_code == 400


def test_an_organiser_s_export_and_view_keep_the_language_and_the_page(client, world):
    organiser = make_staff("org", superuser=False, groups=["organiser"])
    login_verified(client, organiser)
    own = Consent.objects.get(partner=world["ituc"], confirmed_at__isnull=False)
    html = client.get(
        reverse("admin:supporters_partnercontact_change", args=[own.pk])
    ).content.decode()
    assert "/en/embed/" in html
    assert "column-language" in client.get(CONTACTS).content.decode()


def test_a_formula_in_a_name_is_defused_in_the_export(client, world):
    contact(world["ituc"], "eve@example.org", "=HYPERLINK(1)")
    login_verified(client, world["staff"])
    pks = Consent.objects.filter(partner=world["ituc"]).values_list("pk", flat=True)
    answer = client.post(
        CONTACTS, {"action": "export_csv", "_selected_action": [str(pk) for pk in pks]}
    )
    assert "'=HYPERLINK(1)" in answer.content.decode()


def test_an_organiser_sees_every_partners_contacts(client, world):
    organiser = make_staff("org", superuser=False, groups=["organiser"])
    login_verified(client, organiser)
    html = client.get(CONTACTS).content.decode()
    assert "Ana Ituc" in html and "Bo Verdi" in html


def test_a_withdrawn_consent_leaves_the_partners_list(client, world):
    Consent.objects.get(partner=world["ituc"], confirmed_at__isnull=False).withdraw()
    login_verified(client, world["staff"])
    assert "Ana Ituc" not in client.get(CONTACTS).content.decode()


def test_an_erased_supporter_leaves_the_partners_list(client, world):
    Supporter.objects.for_email("ana@example.org").erase()
    login_verified(client, world["staff"])
    page = client.get(CONTACTS).content.decode()
    assert "Ana Ituc" not in page and "ana@example.org" not in page


def test_the_organiser_gets_a_snippet_per_action_and_language(client, world):
    from tests.letters.helpers import letter_action

    letter_action(slug="release")
    world["ituc"].languages = "en de"
    world["ituc"].save()
    login_verified(client, make_staff("admin"))
    html = client.get(reverse("admin:partners_partner_change", args=[world["ituc"].pk])).content
    html = html.decode()
    assert "/en/embed/ituc/letters/release/" in html
    assert "/de/embed/ituc/letters/release/" in html
    assert "&lt;iframe" in html  # shown to copy, not run
    # Each box is named by its title, for a screen reader.
    boxes = re.findall(r"<label><strong>([^<]*)</strong><br><textarea readonly", html)
    assert boxes[:2] == ["Release them (en)", "Release them (de)"]
    assert len(boxes) == html.count("<textarea readonly") > 2  # the other actions' too


def test_partner_staff_reach_nothing_of_another_partner_by_any_admin_address(client, world):
    login_verified(client, world["staff"])
    verdi = world["verdi"]
    theirs = Consent.objects.get(partner=verdi)
    refused = [
        reverse("admin:partners_partner_history", args=[verdi.pk]),
        reverse("admin:partners_partner_delete", args=[verdi.pk]),
        reverse("admin:supporters_partnercontact_history", args=[theirs.pk]),
        reverse("admin:supporters_partnercontact_delete", args=[theirs.pk]),
        reverse("admin:partners_partnermembership_add"),
        reverse("admin:partners_partnermembership_changelist"),
        reverse("admin:partners_partner_add"),
        reverse("admin:accounts_auditentry_changelist"),
        reverse("admin:mailings_mailing_changelist"),
        reverse("admin:supporters_subscription_changelist"),
        reverse("dashboard:figures"),
        reverse("dashboard:moderation"),
        reverse("dashboard:csv", args=["by_source"]),
    ]
    for url in refused:
        answer = client.get(url)
        assert answer.status_code in (302, 403, 404), url
        assert b"Bo Verdi" not in answer.content and b"bo@example.org" not in answer.content, url
    # A filter naming the other partner shows nothing of it.
    filtered = client.get(CONTACTS, {"partner__id__exact": verdi.pk})
    assert b"Bo Verdi" not in filtered.content
    assert b"Bo Verdi" not in client.get(CONTACTS, {"q": "Bo"}).content
    # The autocomplete lists no partner.
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "supporters", "model_name": "consent", "field_name": "partner"},
    )
    assert autocomplete.status_code == 403 or b"ver.di" not in autocomplete.content


def test_partner_staff_cannot_join_another_partner(client, world):
    login_verified(client, world["staff"])
    answer = client.post(
        reverse("admin:partners_partnermembership_add"),
        {"user": world["staff"].pk, "partner": world["verdi"].pk},
    )
    assert answer.status_code == 403
    assert PartnerMembership.objects.get(user=world["staff"]).partner == world["ituc"]
    mine = reverse("admin:partners_partner_change", args=[world["ituc"].pk])
    client.post(mine, {"name": "ITUC", "slug": "ituc", "origins": "https://evil.example"})
    world["ituc"].refresh_from_db()
    assert world["ituc"].origins == ""  # read only for its staff


def test_partner_staff_see_no_figure_small_enough_to_tell_which_contact_did_what(client, world):
    # Ana, their one contact, signed up through the embed: "1" there would name what she did.
    for n in range(SMALLEST_SHOWN):
        supporter, _ = Supporter.get_or_create_for_email(f"reader{n}@example.org", name="R")
        Subscription.objects.create(
            supporter=supporter, partner=world["ituc"], source="link"
        ).confirm()
    mine = reverse("admin:partners_partner_change", args=[world["ituc"].pk])
    login_verified(client, world["staff"])
    rows = figure_rows(client.get(mine).content.decode())
    assert rows["embed"] == f"fewer than {SMALLEST_SHOWN}"
    assert rows["link"] == str(SMALLEST_SHOWN)  # enough people to tell nobody apart

    organiser = make_staff("org", superuser=False, groups=["organiser"])
    login_verified(client, organiser)
    assert figure_rows(client.get(mine).content.decode())["embed"] == "1"


def figure_rows(html: str) -> dict[str, str]:
    """The partner's figures, source: count (every row here is of one kind of action)."""
    return {
        source: count
        for source, count in re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    }


def test_partner_staff_see_a_person_once_not_each_time_they_ticked_the_box(client, world):
    first = Consent.objects.get(partner=world["ituc"], confirmed_at__isnull=False)
    Consent.objects.filter(pk=first.pk).update(given_at=datetime(2030, 3, 1, 10, 2, tzinfo=UTC))
    contact(world["ituc"], "ana@example.org", "Ana Ituc")  # a second action, weeks later
    Consent.objects.exclude(pk=first.pk).filter(partner=world["ituc"]).update(
        given_at=datetime(2030, 4, 9, 17, 45, tzinfo=UTC)
    )
    login_verified(client, world["staff"])
    listing = client.get(CONTACTS).content.decode()
    assert listing.count("ana@example.org") == 1
    assert "April 9, 2030" not in listing  # when she acted again
    every = Consent.objects.filter(partner=world["ituc"]).values_list("pk", flat=True)
    export = client.post(
        CONTACTS, {"action": "export_csv", "_selected_action": [str(pk) for pk in every]}
    )
    rows = export.content.decode().splitlines()
    assert len(rows) == 2 and "2030-03-01" in rows[1]
    mine = reverse("admin:partners_partner_change", args=[world["ituc"].pk])
    page = client.get(mine).content.decode()
    assert "Supporters who agreed to hear from this partner: 1" in page


def test_partner_staff_whose_partner_is_gone_see_no_partner(client, world):
    PartnerMembership.objects.filter(user=world["staff"]).delete()  # they left the partner
    login_verified(client, world["staff"])
    listing = client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert "ITUC" not in listing and "ver.di" not in listing
    for partner in (world["ituc"], world["verdi"]):
        page = client.get(reverse("admin:partners_partner_change", args=[partner.pk]))
        assert page.status_code in (302, 404)
    assert "Ana Ituc" not in client.get(CONTACTS).content.decode()


def test_partner_staff_see_their_logo_in_their_language(client, world):
    world["ituc"].set_logo(png_bytes())
    world["ituc"].save()
    login_verified(client, world["staff"])
    url = reverse("admin:partners_partner_change", args=[world["ituc"].pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    logo = reverse("embed:logo", args=["ituc", world["ituc"].logo_version()])
    assert f'<img src="{logo}" alt="ITUC"' in html
    assert "Текущий логотип" in html
    assert "Logo file" not in html and ">None<" not in html


def test_an_organiser_sees_the_logo_there_is_before_replacing_it(client, world):
    login_verified(client, make_staff("organiser-here", superuser=False, groups=["organiser"]))
    url = reverse("admin:partners_partner_change", args=[world["verdi"].pk])
    html = client.get(url).content.decode()
    assert "No logo yet." in html and 'name="logo_file"' in html
