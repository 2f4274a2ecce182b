"""A supporter writes, confirms, and the right people receive the letter over real SMTP."""

import pytest
from django.urls import reverse
from django.utils import translation

from picketline.letters import sending
from picketline.letters.models import Delivery, Letter, LetterAction, Role
from picketline.mail.models import OutgoingMessage
from tests.letters.helpers import (
    confirm_url,
    confirmed_letter,
    embassy_action,
    form_data,
    letter_action,
    run_the_outbox_for_an_hour,
    target,
)

pytestmark = pytest.mark.django_db


def action_url(action):
    return reverse("letters:action", kwargs={"slug": action.slug})


def content(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def send_everything():
    """Run the scheduler, then the outbox for an hour (letters get a small random delay)."""
    sending.queue_due()
    sending.send_digests()
    run_the_outbox_for_an_hour()


def test_it_shows_the_recipients_for_the_chosen_country_before_sending(client):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    page = client.get(action_url(action), {"country": "DE"})
    assert page.status_code == 200
    assert "Embassy of Belarus in Germany" in page.content.decode()

    page = client.get(action_url(action), {"country": "SE"})
    assert "Ministry of Foreign Affairs" in page.content.decode()
    assert "Embassy of Belarus in Germany" not in page.content.decode()


def test_the_preview_shows_the_letter_each_recipient_gets_and_stores_nothing(client):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    page = client.post(action_url(action), form_data(step="preview"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dear Embassy of Belarus in Germany" in html
    assert "shop steward at ver.di in Germany" in html
    assert 'value="send"' in html
    assert Letter.objects.count() == 0
    assert OutgoingMessage.objects.count() == 0


def test_it_sends_nothing_to_targets_before_confirmation(client, smtp_server):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action()
    response = client.post(action_url(action), form_data())
    assert response.status_code == 302
    send_everything()
    assert smtp_server.to("embassy.de@example.org") == []
    [confirmation] = smtp_server.to("anna@example.net")
    assert "Embassy of Belarus in Germany" in confirmation["Subject"]


def test_a_supporter_from_germany_writes_to_the_embassy_in_berlin(client, smtp_server):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    target("Embassy of Belarus in Poland", "PL", emails=["embassy.pl@example.org"])
    action = embassy_action()
    client.post(action_url(action), form_data())
    letter = Letter.objects.get()
    assert client.post(confirm_url(letter)).status_code == 302
    send_everything()

    [received] = smtp_server.to("embassy.de@example.org")
    assert smtp_server.to("embassy.pl@example.org") == []
    assert received["From"].addresses[0].display_name == "Anna Schmidt"
    assert received["From"].addresses[0].addr_spec == "campaign@localhost"
    assert received["Reply-To"] == "anna@example.net"
    assert received["Subject"] == "Free the unionists, Germany"
    body = content(received)
    assert "Dear Embassy of Belarus in Germany" in body
    assert "Yours sincerely,\nAnna Schmidt" in body
    delivery = Delivery.objects.get()
    assert received["Message-ID"] == f"<letter.{delivery.pk}.{action.pk}@testserver>"


def test_a_country_without_an_embassy_writes_to_the_fallback(client, smtp_server):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    ministry = target(
        "Ministry of Foreign Affairs", "BY", Role.FOREIGN_MINISTRY, emails=["mfa@example.org"]
    )
    action = embassy_action(ministry=ministry)
    client.post(action_url(action), form_data(country="SE", email="sven@example.net"))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    assert len(smtp_server.to("mfa@example.org")) == 1
    assert smtp_server.to("embassy.de@example.org") == []


def test_a_supporter_who_rewrites_the_letter_sends_their_own_words(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister], edit_policy=LetterAction.EditPolicy.WHOLE)
    own = "Dear {recipient},\n\nMy own words about the ILO resolution.\n\n{name}"
    client.post(action_url(action), form_data(body=own))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    [received] = smtp_server.to("federal.minister.of.labour@example.org")
    body = content(received)
    assert "Dear Federal Minister of Labour,\n\nMy own words about the ILO resolution." in body
    assert "Please release" not in body


def test_a_personal_paragraph_is_placed_in_the_letter(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(action_url(action), form_data(personal_paragraph="My father was a miner."))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    [received] = smtp_server.to("federal.minister.of.labour@example.org")
    assert "unionists.\n\nMy father was a miner.\n\nYours sincerely" in content(received)


def test_with_no_editing_allowed_the_supporters_text_is_ignored(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister], edit_policy=LetterAction.EditPolicy.NOTHING)
    data = form_data(personal_paragraph="Injected", body="Injected whole text")
    client.post(action_url(action), data)
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    [received] = smtp_server.to("federal.minister.of.labour@example.org")
    assert "Injected" not in content(received)


def test_confirming_twice_or_writing_twice_sends_one_letter_per_target(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(action_url(action), form_data())
    client.post(action_url(action), form_data())
    first = Letter.objects.get()  # the second form sent the first one's confirmation again
    client.post(confirm_url(first))
    client.post(confirm_url(first))
    client.post(action_url(action), form_data())
    send_everything()
    assert len(smtp_server.to("federal.minister.of.labour@example.org")) == 1
    assert Delivery.objects.count() == 1


def test_the_supporter_can_ask_for_a_copy(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(action_url(action), form_data(send_copy="on"))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    copy = [m for m in smtp_server.to("anna@example.net") if "Copy" in m["Subject"]]
    assert len(copy) == 1
    text = content(copy[0])
    assert "Federal Minister of Labour" in text
    assert "/letters/paper/" in text


def test_the_letter_goes_in_the_supporters_language(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    client.post(action_url(action), form_data(language="ru"))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    [received] = smtp_server.to("federal.minister.of.labour@example.org")
    assert received["Subject"].strip() == "Освободите профсоюзных активистов"
    assert "С уважением,\nAnna Schmidt" in content(received)


def test_the_send_in_my_name_consent_is_required(client):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    page = client.post(action_url(action), form_data(consent_send_in_my_name=None))
    assert page.status_code == 200
    assert Letter.objects.count() == 0


def test_a_filled_honeypot_looks_accepted_and_stores_nothing(client):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    response = client.post(action_url(action), form_data(website="http://spam"))
    assert response.status_code == 302
    assert Letter.objects.count() == 0


def test_no_page_with_what_the_supporter_typed_is_cached_and_the_redirects_look_alike(client):
    """The preview and the errors show what the supporter typed: never cached, not even by the
    browser (the empty form is cached, with a hole for each visitor's CSRF token: tests/web).
    An accepted letter and a bot caught by the honeypot get the same bare redirect, so the
    response does not tell a bot it was caught."""
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    pages = [
        client.post(action_url(action), form_data(step="preview")),
        client.post(action_url(action), form_data(consent_send_in_my_name=None)),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    accepted = client.post(action_url(action), form_data())
    caught = client.post(action_url(action), form_data(email="bot@example.org", website="x"))
    assert accepted.status_code == caught.status_code == 302
    assert accepted["Location"] == caught["Location"] == reverse("supporters:check_mail")
    assert sorted(accepted.headers) == sorted(caught.headers)
    assert Letter.objects.count() == 1


def test_an_unpublished_action_is_not_found(client):
    action = letter_action(published=False)
    assert client.get(action_url(action)).status_code == 404


def test_it_rejects_other_methods(client):
    action = letter_action()
    assert client.put(action_url(action)).status_code == 405


def test_erasure_cancels_letters_not_yet_sent():
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    letter = confirmed_letter(action)
    letter.erase_personal_data()
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    assert sending.queue_due() == 0


@pytest.mark.parametrize(
    "language,expected",
    [
        ("ru", "Кто получит это письмо"),
        ("be", "Хто атрымае гэты ліст"),
        ("de", "Wer diesen Brief erhält"),
    ],
)
def test_the_letter_page_speaks_the_visitors_language(client, language, expected):
    action = letter_action(fixed=[target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)])
    with translation.override(language):
        url = action_url(action)
    assert expected in client.get(url).content.decode()


def test_an_organisers_edit_reaches_the_form_at_once(client, django_capture_on_commit_callbacks):
    action = letter_action(fixed=[target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)])
    assert client.get(action_url(action)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        action.published = False
        action.save()
    assert client.get(action_url(action)).status_code == 404


def test_a_country_not_on_the_list_is_refused(client):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    page = client.post(action_url(action), form_data(country="XX"))
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert Letter.objects.count() == 0
    assert client.post(action_url(action), form_data(country="ZZ")).status_code == 302


def test_after_sending_it_asks_to_check_the_mail_in_the_pages_language(client):
    target("Embassy of Belarus in Germany", "DE")
    action = embassy_action()
    for language in ("ru", "de"):
        with translation.override(language):
            url = action_url(action)
        response = client.post(url, form_data(email=f"{language}@example.net"))
        with translation.override(language):
            assert response["Location"] == reverse("supporters:check_mail")
        assert response["Location"].startswith(f"/{language}/")


def test_each_letter_form_follows_its_page_and_its_kind_of_action(client):
    """Labels follow the page's language, each page preselects its own language, and each
    kind of action keeps its own fields."""
    ministry = target("Ministry of Labour", "DE", Role.LABOUR_MINISTRY)
    whole = letter_action("rewrite", fixed=[ministry], edit_policy=LetterAction.EditPolicy.WHOLE)
    fixed = letter_action("as-is", fixed=[ministry], edit_policy=LetterAction.EditPolicy.NOTHING)
    pages = {}
    for language in ("en", "de", "en"):
        with translation.override(language):
            pages[language] = client.get(action_url(whole)).content.decode()
    assert "Language of your letter" in pages["en"]
    assert "Sprache Ihres Briefes" in pages["de"] and "Language of your letter" not in pages["de"]
    assert '<option value="de" selected>' in pages["de"]
    assert '<option value="en" selected>' in pages["en"]
    assert "Please release the jailed trade unionists." in pages["en"]  # the text, to rewrite
    refused = client.post(action_url(whole), form_data(email="not an address"))
    assert refused.status_code == 200
    assert "Enter a valid email address" in refused.content.decode()
    assert "Enter a valid email address" not in client.get(action_url(whole)).content.decode()
    as_is = client.get(action_url(fixed)).content.decode()
    assert 'name="body"' not in as_is and 'name="personal_paragraph"' not in as_is
