import pytest
from django.core import mail
from django.test import RequestFactory

from picketline.mail.outbox import send_due
from picketline.supporters import flow
from picketline.supporters.models import Consent, Subscription, Supporter

from .helpers import database_text, decrypted_text, links_in, path_of, subscribe

pytestmark = pytest.mark.django_db


def test_it_finds_one_supporter_per_address_whatever_the_case():
    first, created = Supporter.get_or_create_for_email("Ana@Example.org", name="Ana")
    second, created_again = Supporter.get_or_create_for_email(" ana@example.ORG ")
    assert created and not created_again
    assert first.pk == second.pk
    assert Supporter.objects.for_email("ANA@example.org").pk == first.pk
    assert Supporter.objects.for_email("bob@example.org") is None


def test_it_does_not_let_a_stranger_overwrite_a_name():
    Supporter.get_or_create_for_email("ana@example.org", name="Ana")
    supporter, _ = Supporter.get_or_create_for_email("ana@example.org", name="Someone Else")
    assert supporter.name == "Ana"


def test_it_keeps_no_plaintext_address_or_name_in_the_database():
    subscribe("ana.plain@example.org", name="Anastasia Plainname")
    dump = database_text()
    assert "ana.plain@example.org" not in dump.lower()
    assert "Plainname" not in dump


def test_it_counts_only_confirmed_actions():
    _, first = subscribe("a@example.org")
    subscribe("b@example.org")
    assert Subscription.objects.confirmed().count() == 0
    assert first.confirm() is True
    assert first.confirm() is False
    assert Subscription.objects.confirmed().count() == 1
    assert Subscription.objects.unconfirmed().count() == 1


def test_it_confirms_the_consents_given_with_the_action():
    supporter, subscription = subscribe()
    consent = supporter.consents.get()
    assert consent.confirmed_at is None
    subscription.confirm()
    consent.refresh_from_db()
    supporter.refresh_from_db()
    assert consent.confirmed_at is not None
    assert supporter.confirmed_at is not None


def test_it_stores_each_wording_once():
    subscribe("a@example.org")
    subscribe("b@example.org")
    assert Consent.objects.count() == 2
    assert len({c.wording_id for c in Consent.objects.all()}) == 1


def test_it_mails_a_confirmation_with_text_and_html_in_the_supporters_language():
    supporter, subscription = subscribe(language="de")
    assert flow.request_confirmation(subscription, RequestFactory().get("/"))
    send_due()
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Bitte bestätigen: Über die Kampagne auf dem Laufenden bleiben"
    assert "Hallo Ana Example," in message.body
    html = message.alternatives[0][0]
    assert "/de/me/confirm/" in message.body
    assert "/de/me/confirm/" in html


def test_it_caps_confirmation_mails():
    _, subscription = subscribe()
    sent = [flow.request_confirmation(subscription) for _ in range(5)]
    assert sent == [True, True, True, False, False]


def test_get_of_the_link_confirms_nothing_and_post_does(client):
    _, subscription = subscribe()
    flow.request_confirmation(subscription)
    send_due()
    confirm_url = links_in(mail.outbox[0].body)[0]
    response = client.get(path_of(confirm_url))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = client.post(path_of(confirm_url), follow=True)
    assert response.redirect_chain == [("/en/me/confirmed/", 302)]
    assert "Confirmed. It counts now." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert client.post(path_of(confirm_url))["Location"] == "/en/me/confirmed/already/"


def test_it_was_not_me_deletes_the_unconfirmed_data_at_once(client):
    _, subscription = subscribe()
    flow.request_confirmation(subscription)
    send_due()
    reject_url = links_in(mail.outbox[0].body)[1]
    assert "/not-me/" in reject_url
    client.get(path_of(reject_url))
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    client.post(path_of(reject_url))
    assert not Subscription.objects.exists()
    assert not Supporter.objects.exists()
    assert not Consent.objects.exists()
    assert "ana@example.org" not in decrypted_text()  # not even the mail we sent


def test_it_was_not_me_from_a_known_address_deletes_what_was_entered_and_its_mail(client, settings):
    # The address has a confirmed action of its own, so the supporter stays; what someone else
    # entered goes, with the confirmation mail that named it (the demo's mailbox keeps copies).
    settings.EMAIL_BACKEND = "picketline.mail.backends.LocalMailboxBackend"
    from picketline.mail.models import MailboxMessage, OutgoingMessage
    from tests.submissions.helpers import make_report

    first = make_report(title="Our picket")
    flow.request_confirmation(first)
    first.confirm()
    impostor = make_report(supporter=first.supporter, title="Quillon impostor title")
    flow.request_confirmation(impostor)
    send_due()
    assert "Quillon impostor title" in decrypted_text()
    assert impostor.reject() is True
    assert "Quillon impostor title" not in decrypted_text()
    # The rest of the address's mail stays.
    assert OutgoingMessage.objects.filter(kind="confirmation").count() == 1
    assert MailboxMessage.objects.count() == 1


def test_subscribe_form_stores_nothing_when_the_honeypot_is_filled(client):
    response = client.post(
        "/en/me/keep-me-informed/",
        {
            "email": "bot@example.org",
            "consent_organiser_updates": "on",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert not Supporter.objects.exists()
    send_due()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "language, phrase",
    [("ru", "политические взгляды"), ("be", "палітычныя погляды"), ("de", "politische Meinung")],
)
def test_the_consent_wording_names_special_category_data_in_every_language(
    client, language, phrase
):
    response = client.get(f"/{language}/me/keep-me-informed/")
    assert phrase in response.content.decode()


def test_subscribe_form_never_ticks_the_box_in_advance(client):
    response = client.get("/en/me/keep-me-informed/")
    assert response.status_code == 200
    assert b"checked" not in response.content
    assert b"political opinion" in response.content


def test_subscribe_form_creates_an_unconfirmed_subscription_and_mails(client):
    response = client.post(
        "/en/me/keep-me-informed/",
        {"email": "ana@example.org", "consent_organiser_updates": "on", "language": "en"},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    consent = Consent.objects.get()
    assert consent.page == "/en/me/keep-me-informed/"
    assert "political opinion" in consent.wording.text
    send_due()
    assert mail.outbox[0].to == ["ana@example.org"]


def test_consent_is_never_a_condition_of_an_action():
    from picketline.supporters.forms import SupporterFields

    form = SupporterFields({"name": "Ana", "email": "ana@example.org"})
    assert form.is_valid(), form.errors
    assert not form["consent_organiser_updates"].initial
    request = RequestFactory().post("/en/letters/x/")
    supporter = form.save_supporter()
    assert form.record_consents(supporter, request) == []


def test_it_records_a_ticked_partner_consent_with_the_partner_named():
    from picketline.partners.models import Partner
    from picketline.supporters.forms import SupporterFields

    Partner.objects.create(name="Libereco", slug="libereco")
    data = {"name": "Ana", "email": "ana@example.org", "via": "libereco", "consent_partner": "on"}
    form = SupporterFields(data)
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/en/letters/x/", data)
    [consent] = form.record_consents(form.save_supporter(), request)
    assert consent.purpose == Consent.Purpose.PARTNER_UPDATES
    assert consent.partner.name == "Libereco"
    assert "Libereco" in consent.wording.text
    assert consent.page == "/en/letters/x/"


def test_only_confirmed_unwithdrawn_consent_puts_someone_on_the_news_list():
    confirmed, action = subscribe("a@example.org")
    action.confirm()
    subscribe("b@example.org")  # never confirmed
    withdrawn, other = subscribe("c@example.org")
    other.confirm()
    withdrawn.consents.get().withdraw()
    assert list(Supporter.objects.informed()) == [confirmed]


def test_every_mail_links_to_the_privacy_page():
    _, subscription = subscribe(language="ru")
    flow.request_confirmation(subscription)
    send_due()
    message = mail.outbox[0]
    assert "/ru/me/privacy/" in message.body
    assert "/ru/me/privacy/" in message.alternatives[0][0]


def test_nothing_changes_a_confirmed_supporter_from_a_form():
    supporter, action = subscribe("ana@example.org", name="", language="ru")
    action.confirm()
    again, created = Supporter.get_or_create_for_email(
        "ana@example.org", name="Impostor", language="de", phone="+100"
    )
    assert not created
    assert (again.name, again.language, again.phone) == ("", "ru", "")


def test_before_confirming_a_form_fills_only_empty_fields_and_sets_the_language():
    Supporter.get_or_create_for_email("ana@example.org", name="Ana", language="ru")
    again, created = Supporter.get_or_create_for_email(
        "ana@example.org", name="Impostor", language="de", phone="+100", country="PL"
    )
    assert not created
    assert (again.name, again.language, again.phone, again.country) == ("Ana", "de", "+100", "PL")
    stored = Supporter.objects.get(pk=again.pk)
    assert (stored.name, stored.language, stored.phone, stored.country) == (
        "Ana",
        "de",
        "+100",
        "PL",
    )
    assert Supporter.objects.count() == 1


def test_the_keep_me_informed_box_is_not_headed_optional_where_it_is_the_point(client):
    page = client.get("/en/me/keep-me-informed/").content.decode()
    assert "Optional: only if you want" not in page
    assert "Your consent" in page
    # Where every box may stay unticked, the heading says so.
    assert "Optional: only if you want" in client.get("/en/submit/endorse/").content.decode()
