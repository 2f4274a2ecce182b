"""The unsubscribe address of RFC 8058: the provider's one-click POST withdraws the consent
with no cookie and no form token; a GET only shows a page with one button (mail scanners fetch
links, they do not press buttons); forged links do nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from picketline.mailings import audience, sending
from picketline.mailings.models import Mailing
from picketline.supporters.models import Consent
from tests.mailings.helpers import mailing, partner_named, supporter

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def link_for(made: Mailing, person, language: str = "en") -> str:
    url = sending.unsubscribe_url(sending.unsubscribe_token(made.pk, person), language)
    return url.removeprefix("http://testserver")


def organiser_consent(person) -> Consent:
    return person.consents.get(purpose=Consent.Purpose.ORGANISER_UPDATES)


def test_the_one_click_post_withdraws_without_cookie_or_csrf_token():
    person = supporter("ana@example.org")
    made = mailing()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        link_for(made, person), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )

    assert 200 <= response.status_code < 300
    assert not response.cookies
    assert organiser_consent(person).withdrawn_at is not None
    made.refresh_from_db()
    assert made.unsubscribed == 1


@pytest.mark.parametrize(
    "body",
    ["", "List-Unsubscribe=Other", "unsubscribe=yes", "List-Unsubscribe=One-Click-Not"],
)
def test_a_post_without_the_one_click_body_withdraws_nothing(body):
    person = supporter("ana@example.org")
    made = mailing()

    response = Client().post(
        link_for(made, person), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert 'name="List-Unsubscribe" value="One-Click"' in response.content.decode()
    assert organiser_consent(person).withdrawn_at is None
    made.refresh_from_db()
    assert made.unsubscribed == 0


def test_the_one_click_body_works_as_multipart_too():
    person = supporter("ana@example.org")
    made = mailing()

    response = Client(enforce_csrf_checks=True).post(
        link_for(made, person), {"List-Unsubscribe": "One-Click"}, format="multipart"
    )

    assert response.status_code == 200
    assert organiser_consent(person).withdrawn_at is not None


def test_a_get_shows_a_button_and_withdraws_nothing():
    person = supporter("ana@example.org")
    made = mailing()

    response = Client().get(link_for(made, person))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page
    assert 'name="List-Unsubscribe" value="One-Click"' in page
    assert organiser_consent(person).withdrawn_at is None
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_the_button_posts_what_the_provider_posts_and_says_what_it_did():
    person = supporter("ana@example.org", language="de")
    made = mailing()

    response = Client(enforce_csrf_checks=True).post(
        link_for(made, person, "de"), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert organiser_consent(person).withdrawn_at is not None
    assert response.headers["Content-Language"] == "de"


def test_posting_twice_counts_once():
    person = supporter("ana@example.org")
    made = mailing()
    client = Client()
    for _ in range(2):
        assert (
            client.post(link_for(made, person), {"List-Unsubscribe": "One-Click"}).status_code
            == 200
        )

    made.refresh_from_db()
    assert made.unsubscribed == 1


def test_a_partners_link_withdraws_only_that_partners_consent():
    person = supporter("ana@example.org")
    supporter("ana@example.org", partner="ITUC")
    made = mailing(partner="ITUC")

    page = Client().post(link_for(made, person), {"List-Unsubscribe": "One-Click"})

    assert "ITUC" in page.content.decode()
    standing = person.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    assert list(standing) == [Consent.Purpose.ORGANISER_UPDATES]


def test_a_forged_or_mangled_link_does_nothing():
    person = supporter("ana@example.org")
    made = mailing()
    good = link_for(made, person)

    for bad in (good[:-6] + "xxxxx/", "/en/u/test/", "/en/u/not-a-token/"):
        response = Client().post(bad, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400
    assert organiser_consent(person).withdrawn_at is None


def test_a_link_for_someone_erased_since_answers_and_touches_nobody_else():
    person = supporter("ana@example.org")
    made = mailing()
    link = link_for(made, person)
    person.erase()

    response = Client().post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    made.refresh_from_db()
    assert made.unsubscribed == 0


def test_the_token_holds_no_address():
    person = supporter("very.distinctive.name@example.org", name="Distinctive")
    token = sending.unsubscribe_token(mailing().pk, person)

    import base64

    padded = token.split(":")[0] + "=" * (-len(token.split(":")[0]) % 4)
    decoded = base64.urlsafe_b64decode(padded).decode("utf-8", "replace")
    assert "distinctive" not in decoded.lower() and "example" not in decoded


def test_after_unsubscribing_no_later_mailing_reaches_them():
    from django.core import mail

    from picketline.mail.outbox import send_due

    person = supporter("ana@example.org")
    supporter("ben@example.org")
    Client().post(link_for(mailing(), person), {"List-Unsubscribe": "One-Click"})

    later = mailing(title="June news")
    sending.schedule(later)
    sending.start_due()
    Mailing.objects.filter(pk=later.pk).update(started_at=later.created_at.replace(year=2000))
    sending.expand(later.pk)
    while send_due(100):
        pass
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]


def test_the_pages_speak_the_readers_language_and_link_the_privacy_page():
    person = supporter("ana@example.org", language="ru")
    link = link_for(mailing(), person, "ru")

    button = Client().get(link).content.decode()
    done = Client().post(link, {"List-Unsubscribe": "One-Click"}).content.decode()

    assert "Отписаться" in button and ">Unsubscribe<" not in button
    assert "Вы отписались" in done and "news" not in done
    assert 'href="/ru/me/privacy/"' in done


def test_one_click_withdraws_the_news_consent_however_many_forms_gave_it():
    person = supporter("ana@example.org")
    supporter("ana@example.org")
    supporter("ana@example.org")
    made = mailing()
    assert person.consents.active().count() == 3

    Client().post(link_for(made, person), {"List-Unsubscribe": "One-Click"})

    assert not person.consents.active().exists()
    assert person not in audience.consenting()
    made.refresh_from_db()
    assert made.unsubscribed == 1


def test_a_partners_link_withdraws_every_consent_to_that_partner_and_no_other_partners():
    person = supporter("ana@example.org", partner="ITUC")
    supporter("ana@example.org", partner="ITUC")
    supporter("ana@example.org", partner="Libereco")
    ituc = mailing(partner="ITUC")

    Client().post(link_for(ituc, person), {"List-Unsubscribe": "One-Click"})

    assert person not in audience.consenting(ituc.partner_id)
    left = person.consents.active().values_list("partner__name", flat=True)
    assert list(left) == ["Libereco"]
    assert person in audience.consenting(partner_named("Libereco").pk)
