"""One letter, one text: the preview, the mail to the recipient, the supporter's copy, the
supporter's PDF and the organisers' bundle all carry the text composed once, in the letter's
language, whatever language the page, the worker or the organiser happen to use."""

import io

import pytest
from babel.dates import format_date
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from picketline.letters import pdf, sending
from picketline.letters.models import Letter, LetterText, Role
from picketline.web.countries import country_choices, country_name
from tests.letters.helpers import (
    confirm_url,
    confirmed_letter,
    form_data,
    letter_action,
    run_the_outbox_for_an_hour,
    target,
)

pytestmark = pytest.mark.django_db

BODY_DE = (
    "{salutation}\n\nich schreibe aus {country} an {recipient}.\n\n{personal_paragraph}\n\n"
    "Mit freundlichen Grüßen\n{name}"
)


def embassy():
    return target(
        "Embassy of Belarus in Germany",
        "DE",
        Role.EMBASSY_OF_BELARUS,
        postal_address="Am Treptower Park 32\n12435 Berlin\nGermany",
        name_de="Botschaft der Republik Belarus in Deutschland",
        postal_address_de="Am Treptower Park 32\n12435 Berlin\nDeutschland",
        name_ru="Посольство Республики Беларусь в Германии",
        salutation_ru="Уважаемый господин посол!",
    )


def german_action(**kwargs):
    action = letter_action(**kwargs)
    LetterText.objects.create(
        action=action, language="de", subject="Freiheit — Brief aus {country}", body=BODY_DE
    )
    return action


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def content(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def send_everything():
    sending.queue_due()
    run_the_outbox_for_an_hour()


def test_the_preview_the_mail_and_the_copy_carry_one_text_in_the_letters_language(
    client, smtp_server
):
    to = embassy()
    action = german_action(fixed=[to])
    # The page is English; the supporter writes in German.
    data = form_data(language="de", send_copy="on", personal_paragraph="Freiheit für alle!")
    preview = client.post(
        reverse("letters:action", kwargs={"slug": action.slug}), {**data, "step": "preview"}
    )
    [shown] = preview.context["preview"]
    assert shown.subject == "Freiheit — Brief aus Deutschland"
    assert shown.body.startswith("Sehr geehrte Damen und Herren,\n\nich schreibe aus Deutschland")
    assert "an Botschaft der Republik Belarus in Deutschland." in shown.body
    assert shown.recipient[0] == "Botschaft der Republik Belarus in Deutschland"
    assert shown.recipient[-1] == "Deutschland"
    assert shown.date == format_date(timezone.localdate(), format="long", locale="de")
    html = preview.content.decode()
    assert "Germany" not in html.split('class="letter-preview"')[1].split("</section>")[0]

    client.post(reverse("letters:action", kwargs={"slug": action.slug}), data)
    with translation.override("ru"):  # whatever language the worker runs in
        client.post(confirm_url(Letter.objects.get()))
        send_everything()
    [received] = smtp_server.to("embassy.of.belarus.in.germany@example.org")
    assert received["Subject"] == shown.subject
    assert content(received).rstrip("\n") == shown.body.rstrip("\n")
    [copy] = [
        m
        for m in smtp_server.to("anna@example.net")
        if shown.subject in m["Subject"] and m["Subject"] != shown.subject
    ]
    assert shown.body in content(copy)
    assert "Germany" not in content(copy)


def test_the_supporters_pdf_and_the_organisers_bundle_print_the_same_words(client):
    to = embassy()
    action = german_action(fixed=[to])
    german = confirmed_letter(action, language="de", email="de@example.net", name="Greta")
    russian = confirmed_letter(action, language="ru", country="FR", email="ru@example.net")
    composed = german.compose(to)

    own = pdf_text(pdf.letter_pdf(german))
    for line in [*composed.recipient, composed.subject, composed.date, "Greta"]:
        assert line in own
    assert "aus Deutschland" in own
    assert "Germany" not in own

    client.force_login(User.objects.create_superuser("org", "org@example.org", "pw 1234567890"))
    url = reverse("letters:target_bundle_pdf", kwargs={"action_id": action.pk, "target_id": to.pk})
    bundle = pdf_text(client.get(url, {"language": "en"}).content)
    assert "aus Deutschland" in bundle
    # The Russian letter speaks Russian in the English bundle: its country, its recipient,
    # its salutation, its date.
    assert "Франция" in bundle and "France" not in bundle
    assert "Посольство Республики Беларусь в Германии" in bundle
    assert russian.compose(to).language == "ru"
    assert format_date(timezone.localdate(), format="long", locale="ru") in bundle


def test_the_salutation_is_the_recipients_own_in_each_language():
    to = embassy()
    action = german_action(fixed=[to])
    LetterText.objects.filter(action=action, language="ru").update(body="{salutation}\n\n{name}")
    russian = confirmed_letter(action, language="ru")
    german = confirmed_letter(action, language="de", email="de@example.net")
    assert russian.compose(to).body.startswith("Уважаемый господин посол!\n")
    assert german.compose(to).body.startswith("Sehr geehrte Damen und Herren,\n")


def test_a_recipient_without_a_translation_keeps_its_english_name():
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = german_action(fixed=[minister])
    letter = confirmed_letter(action, language="de")
    assert "an Federal Minister of Labour." in letter.compose(minister).body


def test_country_names_come_from_cldr_in_each_language():
    assert [country_name("DE", x) for x in ("en", "ru", "be", "de")] == [
        "Germany",
        "Германия",
        "Германія",
        "Deutschland",
    ]
    assert country_name("LT", "be") == "Літва"
    names = [name for _code, name in country_choices("de")]
    # In the alphabet's order: Ä with A, Ö with O (not after Z, as code points would have it).
    assert names.index("Afghanistan") < names.index("Ägypten") < names.index("Albanien")
    assert names.index("Oman") < names.index("Österreich") < names.index("Pakistan")
    assert ("BY", "Belarus") in country_choices("de")
