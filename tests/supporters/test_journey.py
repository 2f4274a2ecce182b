"""The whole journey over real SMTP on loopback: submit, confirm, privacy page, export, erase."""

import json

import pytest

from picketline.mail.outbox import send_due
from picketline.supporters.models import Consent, ErasureLog, Subscription, Supporter

from .helpers import database_text, decrypted_text, links_in, path_of

pytestmark = pytest.mark.django_db

EMAIL = "journey.person@example.org"
NAME = "Journeyna Personova"


def test_a_supporter_signs_up_confirms_sees_exports_and_erases(client, smtp_server):
    response = client.post(
        "/ru/me/keep-me-informed/",
        {"email": EMAIL, "name": NAME, "language": "ru", "consent_organiser_updates": "on"},
    )
    assert response.status_code == 302
    assert send_due() == 1
    [mail] = smtp_server.to(EMAIL)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    confirm_url, reject_url = links_in(text)[:2]
    assert "/ru/me/confirm/" in confirm_url and confirm_url in html

    # A mail scanner fetching the link confirms nothing.
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    assert Subscription.objects.confirmed().count() == 0
    # The button does.
    assert client.post(path_of(confirm_url))["Location"] == "/ru/me/confirmed/"
    assert Subscription.objects.confirmed().count() == 1
    assert Consent.objects.confirmed().count() == 1

    # Privacy page by magic link.
    response = client.post("/en/me/privacy/", {"email": EMAIL})
    assert response.status_code == 200
    send_due()
    privacy_mail = smtp_server.to(EMAIL)[-1]
    open_url = links_in(privacy_mail.get_body(("plain",)).get_content())[0]
    assert "/me/privacy/open/" in open_url
    assert client.get("/en/me/privacy/mine/").status_code == 403  # not yet opened
    assert client.get(path_of(open_url)).status_code == 200
    response = client.post(path_of(open_url))
    assert response.status_code == 302
    mine = client.get(response["Location"])
    assert NAME in mine.content.decode()
    assert mine.content.decode().count('class="message ') == 0  # no stray notices

    assert "political opinion" in mine.content.decode() or "полит" in mine.content.decode()

    export = client.get("/en/me/privacy/mine/my-data.json")
    data = json.loads(export.content)
    assert data["supporter"]["email"] == EMAIL
    assert data["consents"][0]["purpose"] == "organiser_updates"
    assert data["actions"][0]["confirmed_at"]
    assert [m["kind"] for m in data["messages"]] == ["confirmation", "privacy-link"]
    assert all(m["sent_at"] for m in data["messages"])

    # Erase everything.
    assert client.get("/en/me/privacy/mine/erase/").status_code == 200
    assert client.post("/en/me/privacy/mine/erase/").status_code == 200
    assert Supporter.objects.count() == 0
    assert Subscription.objects.confirmed().count() == 1  # still counted
    assert ErasureLog.objects.get().reason == "request"

    dump = database_text() + decrypted_text()
    for piece in (EMAIL, NAME, "Journeyna", "journey.person"):
        assert piece.lower() not in dump.lower()
    # Decrypted, too: nothing left that would decrypt to this person.
    from picketline.mail.models import OutgoingMessage

    assert all(EMAIL not in m.to for m in OutgoingMessage.objects.all())
    assert all(c.supporter_id is None for c in Consent.objects.all())


def test_the_magic_link_works_once(client, smtp_server):
    Supporter.get_or_create_for_email(EMAIL, name=NAME)
    client.post("/en/me/privacy/", {"email": EMAIL})
    send_due()
    open_path = path_of(links_in(smtp_server.to(EMAIL)[0].get_body(("plain",)).get_content())[0])
    assert client.post(open_path).status_code == 302
    again = client.post(open_path)
    assert again.status_code == 410
    assert "used" in again.content.decode()


def test_the_privacy_form_answers_the_same_for_known_and_unknown_addresses(client, smtp_server):
    Supporter.get_or_create_for_email(EMAIL, name=NAME)
    known = client.post("/en/me/privacy/", {"email": EMAIL})
    unknown = client.post("/en/me/privacy/", {"email": "nobody@example.org"})
    csrf = "csrfmiddlewaretoken"
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: "\n".join(  # noqa: E731
        line for line in r.content.decode().splitlines() if csrf not in line
    )
    assert strip(known) == strip(unknown)
    send_due()
    assert len(smtp_server.to(EMAIL)) == 1
    assert smtp_server.to("nobody@example.org") == []


def test_a_withdrawn_consent_is_kept_as_a_record_with_its_time(client):
    supporter, _ = Supporter.get_or_create_for_email(EMAIL)
    consent = Consent.record(supporter, Consent.Purpose.ORGANISER_UPDATES, "Keep me", "en", "/")
    session = client.session
    from django.utils import timezone

    session["privacy_supporter"] = supporter.pk
    session["privacy_until"] = timezone.now().timestamp() + 600
    session.save()
    response = client.post(f"/en/me/privacy/mine/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert Consent.objects.count() == 1
    # Someone else's consent cannot be withdrawn from this page.
    other, _ = Supporter.get_or_create_for_email("other@example.org")
    theirs = Consent.record(other, Consent.Purpose.ORGANISER_UPDATES, "Keep me", "en", "/")
    assert client.post(f"/en/me/privacy/mine/consents/{theirs.pk}/withdraw/").status_code == 404
