"""The privacy page: "Enter your e-mail address and we send you a link to a page where you can
see everything we hold about you, download it, withdraw consent and erase it all." and its
link "Download everything (JSON)": the download holds every value the page shows, and both
hold what the person typed into a form, their consents in the words they agreed to, and the
mails we wrote to them."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from picketline.letters.models import Letter, Role
from picketline.mail.outbox import send_due
from picketline.supporters.models import Supporter
from tests.letters.helpers import confirm_url, form_data, letter_action, target

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.net"
TYPED = {
    "name": "Anna Schmidt",
    "country": "DE",
    "organisation": "ver.di Ortsverein",
    "role": "shop steward",
    "personal_paragraph": "I met Aliaksandr at the ILO conference in 2019.",
}


def strings_in(value: object) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return {str(value)} if value not in (None, "") else set()


@pytest.fixture
def opened_privacy_page(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    reverse_url = reverse("letters:action", kwargs={"slug": action.slug})
    client.post(reverse_url, form_data(**TYPED, consent_organiser_updates="on"))
    client.post(confirm_url(Letter.objects.get()))
    client.post("/en/me/privacy/", {"email": EMAIL})
    send_due()
    text = smtp_server.to(EMAIL)[-1].get_body(("plain",)).get_content()
    assert client.post(path_of(links_in(text)[0])).status_code == 302
    return client


def test_the_download_holds_everything_the_page_shows(opened_privacy_page, smtp_server):
    client = opened_privacy_page
    page = html.unescape(client.get("/en/me/privacy/mine/").content.decode())
    download = client.get("/en/me/privacy/mine/my-data.json")
    assert download["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(download.content)

    held = strings_in(data)
    for value in [EMAIL, *TYPED.values(), "Federal Minister of Labour"]:
        # The page names the country the download holds as a code.
        assert (value if value != "DE" else "Germany") in page
        assert value in held
    supporter = Supporter.objects.get()
    # When the form that gave the name and the country was sent ("it was not me" on its
    # action takes them back): on the page beside them, and in the download.
    letter = Letter.objects.get()
    assert supporter.name_given_at == supporter.country_given_at == letter.created_at
    assert data["supporter"]["name_given_at"] == letter.created_at.isoformat()
    assert data["supporter"]["country_given_at"] == letter.created_at.isoformat()
    assert page.count("(from a form sent on ") == 2
    for consent in supporter.consents.select_related("wording"):
        assert consent.wording.text in page
        assert consent.wording.text in held
    # Each mail by the subject it went with, also those written as they were sent (the outbox
    # keeps no copy of those): an empty line would tell the person nothing.
    listed = [m["subject"] for m in data["messages"]]
    assert all(listed), data["messages"]
    sent = {" ".join(str(mail["Subject"]).split()) for mail in smtp_server.to(EMAIL)}
    assert sent and sent <= set(listed)
    for subject in listed:
        assert subject in page
    assert len(data["messages"]) == len(supporter.messages()) >= 2
    # Every value each action reports about itself is in the download.
    for action in supporter.actions():
        assert strings_in(action.personal_data()) <= held


def test_the_page_offers_download_withdrawal_and_erasure(opened_privacy_page):
    client = opened_privacy_page
    page = client.get("/en/me/privacy/mine/").content.decode()
    assert 'href="/en/me/privacy/mine/my-data.json" download' in page
    assert page.count("/withdraw/") == Supporter.objects.get().consents.count() == 2
    assert 'href="/en/me/privacy/mine/erase/"' in page
    assert client.post("/en/me/privacy/mine/erase/").status_code == 200
    assert Supporter.objects.count() == 0


def test_the_page_is_written_for_a_person_not_a_program(opened_privacy_page):
    client = opened_privacy_page
    page = html.unescape(client.get("/de/me/privacy/mine/").content.decode())
    # Labels, not keys; dates as people write them; a list as text; a country by its name.
    assert "personal_paragraph" not in page and "created_at" not in page
    assert "Persönlicher Absatz" in page
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page)
    assert "['" not in page and "[]" not in page
    assert "Deutschland" in page
    assert "Federal Minister of Labour" in page


def test_the_page_names_the_partner_and_link_an_action_came_through(opened_privacy_page):
    from picketline.partners.models import Partner

    dgb = Partner.objects.create(name="DGB", slug="dgb", link_codes="newsletter")
    Letter.objects.update(partner=dgb, source="link:newsletter")
    page = html.unescape(opened_privacy_page.get("/en/me/privacy/mine/").content.decode())
    assert "Came through: DGB link:newsletter" in page


def test_the_erasure_pages_say_how_long_backups_keep_the_data(opened_privacy_page, settings):
    # Backups are the operators' (docs/deploy.md deletes them after this many days): the
    # pages say so rather than promise that nothing at all is left.
    settings.BACKUP_KEEP_DAYS = 12
    client = opened_privacy_page
    before = client.get("/en/me/privacy/mine/erase/").content.decode()
    assert "Our backups hold your data until they are deleted, within 12 days." in before
    after = client.post("/en/me/privacy/mine/erase/").content.decode()
    assert "except in backups, which are deleted within 12 days" in after
