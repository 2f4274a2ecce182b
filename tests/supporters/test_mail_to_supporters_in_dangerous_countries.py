"""Mail to someone in a country marked as dangerous names nothing of the campaign in its
subject: a subject shows on lock screens and in inbox lists. Letters are refused to them; other
forms take their address once they have read the warning (keep me informed…), and the privacy
link asks for no country."""

import pytest
from django.urls import reverse

from picketline.mail import outbox
from picketline.supporters import flow
from picketline.supporters.models import DangerousCountry, Supporter

pytestmark = pytest.mark.django_db

NEUTRAL = "Please confirm your e-mail address"


def subscribe(client, email: str, country: str, language: str = "en") -> None:
    response = client.post(
        reverse("supporters:subscribe").replace("/en/", f"/{language}/"),
        {
            "name": "Olga",
            "email": email,
            "country": country,
            "language": language,
            "consent_organiser_updates": "on",
            # Someone in a country marked as dangerous is warned first, and goes on here.
            "safety_acknowledged": "on",
            "website": "",
        },
    )
    assert response.status_code == 302


def olga_in_belarus_and_anna_in_germany(client, smtp_server):
    """The confirmation mails of two new subscribers, one in a country marked as dangerous."""
    DangerousCountry.objects.create(code="BY")
    subscribe(client, "olga@example.by", "BY")
    subscribe(client, "anna@example.net", "DE")
    outbox.send_due()
    [olga] = smtp_server.to("olga@example.by")
    [anna] = smtp_server.to("anna@example.net")
    return olga, anna


def test_the_confirmation_subject_is_neutral_for_someone_in_belarus(client, smtp_server):
    olga, anna = olga_in_belarus_and_anna_in_germany(client, smtp_server)
    assert olga["Subject"] == NEUTRAL
    assert anna["Subject"].startswith("Please confirm: Keep me informed about the campaign")


def test_a_country_given_earlier_makes_later_mail_neutral_too(client, smtp_server):
    DangerousCountry.objects.create(code="BY")
    Supporter.get_or_create_for_email("olga@example.by", name="Olga", country="by")
    subscribe(client, "olga@example.by", "")
    outbox.send_due()
    [mail] = smtp_server.to("olga@example.by")
    assert mail["Subject"] == NEUTRAL


def test_the_neutral_subject_is_in_the_supporters_language(client, smtp_server):
    DangerousCountry.objects.create(code="BY")
    subscribe(client, "olga@example.by", "BY", language="ru")
    outbox.send_due()
    [mail] = smtp_server.to("olga@example.by")
    assert mail["Subject"].strip() == "Подтвердите, пожалуйста, свой адрес электронной почты"


def test_the_privacy_link_names_nothing_of_the_campaign(client, smtp_server):
    DangerousCountry.objects.create(code="BY")
    Supporter.get_or_create_for_email("olga@example.by", name="Olga", country="BY")
    flow.send_privacy_link("olga@example.by", "en")
    outbox.send_due()
    [mail] = smtp_server.to("olga@example.by")
    subject = mail["Subject"].lower()
    assert subject == "your link to your data"
    for word in ("belarus", "union", "prison", "jail", "campaign", "letter"):
        assert word not in subject


def test_the_mail_saying_it_was_done_already_is_neutral_too(smtp_server):
    # Anyone can type the address into a form again: what then lands in the inbox of someone
    # who said they are in Belarus names nothing of the campaign in its subject either.
    from tests.letters.helpers import confirmed_letter, letter_action, target

    DangerousCountry.objects.create(code="BY")
    action = letter_action(fixed=[target("Ministry of Labour", "DE")])
    letter = confirmed_letter(action, email="olga@example.net", language="ru")
    Supporter.objects.filter(pk=letter.supporter_id).update(country="BY")
    letter.refresh_from_db()
    flow.tell_done_already(letter)
    outbox.send_due()
    [mail] = [m for m in smtp_server.to("olga@example.net") if m["X-Picketline-Action"] is None]
    assert mail["Subject"].strip() == "Ваш адрес электронной почты указали ещё раз"
    assert "Вы уже подтвердили это" in mail.get_body(("plain",)).get_content()


def test_the_mail_saying_one_is_registered_already_is_neutral_too(client, smtp_server):
    # The event form sends a registrant their own link when their address is typed again:
    # anyone can cause it, so for someone in Belarus its subject names no event.
    from tests.events.helpers import confirmed_registration, online_meeting

    DangerousCountry.objects.create(code="BY")
    meeting = online_meeting()
    olga = confirmed_registration(meeting, "olga@example.net", language="ru")
    Supporter.objects.filter(pk=olga.supporter_id).update(country="BY")
    confirmed_registration(meeting, "anna@example.net")
    outbox.send_due()
    for email in ("olga@example.net", "anna@example.net"):
        form = {"name": "Someone", "email": email, "time_zone": "Europe/Berlin", "website": ""}
        assert client.post("/en/events/meeting/", form).status_code == 302
    outbox.send_due()
    # The last of each: the mails of their own registration went before.
    to_olga = smtp_server.to("olga@example.net")[-1]
    to_anna = smtp_server.to("anna@example.net")[-1]
    assert to_olga["Subject"].strip() == "Ваш адрес электронной почты указали ещё раз"
    assert "Онлайн-встреча" in to_olga.get_body(("plain",)).get_content()
    assert to_anna["Subject"].strip() == "Your registration: Online meeting"


# About as much of a message as an inbox list or a lock screen shows beside its subject.
PREVIEW = 200


def preview_of(mail, kind: str) -> str:
    import re

    body = mail.get_body((kind,)).get_content()
    if kind == "html":
        body = re.sub(r"<title>.*?</title>", "", body, flags=re.S)  # not shown, but checked below
        body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(body.split())[:PREVIEW]


def test_the_first_lines_of_the_mail_name_nothing_of_the_campaign_either(client, smtp_server):
    """An inbox shows the first words of a message beside its subject: for someone in a
    country marked as dangerous, what the action is comes after the links."""
    olga, anna = olga_in_belarus_and_anna_in_germany(client, smtp_server)
    summary = "Keep me informed about the campaign"
    for kind in ("plain", "html"):
        assert summary not in preview_of(olga, kind), kind
        assert "campaign site" not in preview_of(olga, kind), kind
        assert "further down" in preview_of(olga, kind), kind
        # It is all there, after the links.
        body = olga.get_body((kind,)).get_content()
        assert body.index(summary) > body.index("/not-me/")
        assert summary in preview_of(anna, kind), kind
    assert (
        "<title>Please confirm your e-mail address</title>"
        in olga.get_body(("html",)).get_content()
    )


def test_the_first_lines_of_the_done_already_mail_are_neutral_too(smtp_server):
    from tests.letters.helpers import confirmed_letter, letter_action, target

    DangerousCountry.objects.create(code="BY")
    action = letter_action(fixed=[target("Ministry of Labour", "DE")])
    letter = confirmed_letter(action, email="olga@example.net")
    Supporter.objects.filter(pk=letter.supporter_id).update(country="BY")
    letter.refresh_from_db()
    flow.tell_done_already(letter)
    outbox.send_due()
    [mail] = [m for m in smtp_server.to("olga@example.net") if m["X-Picketline-Action"] is None]
    summary = str(letter.confirmation_subject())
    for kind in ("plain", "html"):
        assert summary not in preview_of(mail, kind), kind
        assert "You confirmed this before" in preview_of(mail, kind), kind
        assert summary in mail.get_body((kind,)).get_content()


def test_the_first_words_are_not_what_a_stranger_typed_as_a_name(client, smtp_server):
    """Anyone can type an address and, as the name, a sentence about the campaign: a mail
    discreet for its subject greets nobody by that name, its first words on a lock screen."""
    DangerousCountry.objects.create(code="BY")
    subscribe(client, "olga@example.by", "BY")
    subscribe(client, "anna@example.net", "DE")
    # What the forms typed as the name (the mail is written when it is sent).
    Supporter.objects.update(name="Thank you for joining the Belarus Solidarity Union")
    outbox.send_due()
    [olga] = smtp_server.to("olga@example.by")
    [anna] = smtp_server.to("anna@example.net")
    for kind in ("plain", "html"):
        assert "Solidarity" not in olga.get_body((kind,)).get_content(), kind
        assert "Hello," in preview_of(olga, kind), kind
        # Outside a country marked as dangerous, the greeting names whoever the row names.
        assert "Hello Thank you for joining" in preview_of(anna, kind), kind
