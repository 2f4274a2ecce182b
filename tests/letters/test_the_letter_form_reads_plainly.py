"""The letter form in front of a supporter: no raw placeholder anywhere, the country filled in
as soon as it is known and kept in the form, the whole text editable where the action allows
it, and a paused action that still takes letters and holds them until sending resumes."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from picketline.letters import sending
from picketline.letters.models import Delivery, Letter, LetterAction, Role
from picketline.mail import outbox
from tests.letters.helpers import confirm_url, form_data, letter_action, target

pytestmark = pytest.mark.django_db

RAW_PLACEHOLDER = re.compile(
    r"\{(salutation|name|country|organisation|role|recipient|personal_paragraph)\}"
)


def url(action, language="en", **query):
    with translation.override(language):
        path = reverse("letters:action", kwargs={"slug": action.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def send_everything():
    sending.queue_due()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        sending.queue_due()
        while outbox.send_due():
            pass


def whole_text_action(**kwargs):
    return letter_action(edit_policy=LetterAction.EditPolicy.WHOLE, **kwargs)


def test_no_raw_placeholder_before_or_after_the_country_is_chosen(client):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(
        targeting=LetterAction.Targeting.COUNTRY_ROLE, roles=Role.LABOUR_MINISTRY
    )
    before = client.get(url(action)).content.decode()
    assert not RAW_PLACEHOLDER.search(before)
    assert "[recipient]" in before and "[your country]" in before
    after = client.get(url(action, country="DE")).content.decode()
    assert not RAW_PLACEHOLDER.search(after)
    # One recipient for Germany: named; the country filled in; the supporter's own still open.
    assert "Dear Federal Minister of Labour," in after
    assert "in Germany" in after and "Free the unionists, Germany" in after
    assert "[your name]" in after
    assert minister.name in after


def test_the_country_picked_above_is_the_forms_country(client):
    target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(
        targeting=LetterAction.Targeting.COUNTRY_ROLE, roles=Role.LABOUR_MINISTRY
    )
    page = client.get(url(action, country="DE")).content.decode()
    form = page.split('method="post"')[1]
    assert re.search(r'<option value="DE" selected>', form)


def test_the_whole_letter_is_editable_and_each_recipient_is_greeted_by_name(client, smtp_server):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy@example.org"])
    president = target("Administration of the President", "BY", Role.HEAD_OF_STATE)
    action = whole_text_action(
        targeting=LetterAction.Targeting.COUNTRY_ROLE,
        roles=Role.EMBASSY_OF_BELARUS,
        fixed=[president],
    )
    page = client.get(url(action, country="DE")).content.decode()
    textarea = page.split('name="body"')[1].split("</textarea>")[0]
    assert not RAW_PLACEHOLDER.search(textarea)
    assert "Dear [recipient]," in textarea  # two recipients: each is named in their own letter
    own = textarea.split(">", 1)[1].replace("&#x27;", "'").replace("\r\n", "\n")
    own = own.replace("Please release", "I ask you to release")
    client.post(url(action), form_data(body=own))
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    [embassy] = smtp_server.to("embassy@example.org")
    [head] = smtp_server.to("administration.of.the.president@example.org")
    embassy_text = embassy.get_content()
    assert "Dear Embassy of Belarus in Germany," in embassy_text
    assert "I ask you to release" in embassy_text
    assert "Dear Administration of the President," in head.get_content()
    assert "[" not in embassy_text


def test_the_demo_release_letter_is_editable_like_the_ilo_letter(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    release = LetterAction.objects.get(slug="release-the-unionists")
    ilo = LetterAction.objects.get(slug="ilo-resolution-2023")
    assert release.edit_policy == ilo.edit_policy == LetterAction.EditPolicy.WHOLE
    for language in ["en", "ru", "be", "de"]:
        page = client.get(url(release, language, country="DE")).content.decode()
        assert 'name="body"' in page
        assert not RAW_PLACEHOLDER.search(page), language


def test_a_paused_action_keeps_its_form_open_and_holds_the_letters(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = letter_action(fixed=[minister])
    action.pause()
    page = client.get(url(action)).content.decode()
    assert "Sending is paused" in page and 'method="post"' in page
    response = client.post(url(action), form_data())
    assert response.status_code == 302
    client.post(confirm_url(Letter.objects.get()))
    send_everything()
    assert smtp_server.to("federal.minister.of.labour@example.org") == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING
    LetterAction.objects.get(pk=action.pk).resume()
    send_everything()
    assert len(smtp_server.to("federal.minister.of.labour@example.org")) == 1


def textarea_of(page: str) -> str:
    import html

    textarea = page.split('name="body"')[1].split("</textarea>")[0]
    # Django writes a line break after the opening tag, which the browser drops.
    return html.unescape(textarea.split(">", 1)[1]).replace("\r\n", "\n").removeprefix("\n")


def test_the_whole_letter_field_holds_the_letter_as_sent_in_the_forms_language(client):
    from picketline.letters.models import LetterText
    from tests.registers.helpers import make_person

    make_person("bp9", "Vatslau Areshka", name_russian="Вацлав Орешко", is_published=True)
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = whole_text_action(fixed=[minister])
    LetterText.objects.filter(action=action, language="ru").update(
        body="{salutation}\n\nОсвободите [[person:bp9]].\n\n{personal_paragraph}\n\n"
        "С уважением,\n{name}\n{role}"
    )
    page = client.get(url(action, "ru")).content.decode()
    offered = textarea_of(page)
    # Russian, the person named as the register has it, bracketed words for what is filled in.
    assert offered.startswith("[обращение]\n\nОсвободите Вацлав Орешко (")
    assert "[[person:" not in offered and not RAW_PLACEHOLDER.search(offered)
    assert offered.rstrip().endswith("С уважением,\n[ваше имя]\n[ваша роль]")
    assert "Это поле — всё письмо" in page
    assert "Оставьте его пустым" not in page


def test_a_letter_left_as_offered_stores_nothing_of_its_own_and_goes_in_the_chosen_language(
    client,
):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = whole_text_action(fixed=[minister])
    offered = textarea_of(client.get(url(action, "ru")).content.decode())
    # A Russian page, the letter in English: the text offered was not changed.
    preview = client.post(
        url(action, "ru"),
        form_data(language="en", body=offered.replace("\n", "\r\n"), step="preview"),
    ).content.decode()
    shown = preview.split('class="letter-preview"')[1].split("</section>")[0]
    assert "Освободите профсоюзных активистов" not in shown
    assert "Please release the jailed trade unionists." in shown
    client.post(url(action, "ru"), form_data(language="en", body=offered))
    letter = Letter.objects.get()
    assert letter.body == ""
    assert "Please release" in letter.compose(minister).body


def test_an_edited_letter_is_sent_as_written_greeting_and_signature_included(client):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = whole_text_action(fixed=[minister])
    offered = textarea_of(client.get(url(action, "ru")).content.decode())
    mine = offered.replace("Освободите профсоюзных активистов.", "Мои собственные слова.")
    client.post(url(action, "ru"), form_data(language="ru", body=mine))
    composed = Letter.objects.get().compose(minister)
    assert composed.body.startswith(
        "Уважаемые Federal Minister of Labour!\n\nМои собственные слова."
    )
    assert composed.body.rstrip().endswith("С уважением,\nAnna Schmidt")


def test_a_form_opened_before_an_upgrade_keeps_the_placeholder_word_it_showed(client):
    """Russian "[recipient]" read "[получатель]" before the catalogues took one word for a
    letter's recipient: a page opened then and sent after the upgrade still names each
    recipient, never the bracketed word."""
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    action = whole_text_action(fixed=[minister])
    with translation.override("ru"):
        assert translation.gettext("[recipient]") == "[адресат]"
    mine = "[обращение]\n\nВ письме [получатель] должен прочитать своё имя.\n"
    client.post(url(action, "ru"), form_data(language="ru", body=mine))
    assert Letter.objects.get().body.startswith("{salutation}\n\nВ письме {recipient} должен")
    composed = Letter.objects.get().compose(minister)
    assert "[получатель]" not in composed.body
    assert "В письме Federal Minister of Labour должен" in composed.body
