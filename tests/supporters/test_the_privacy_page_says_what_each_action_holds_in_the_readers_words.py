"""The privacy page in Russian: every label in Russian, an event by its title, a country by
its name, and a letter's "own text" only when the writer wrote one."""

from __future__ import annotations

import html
import re

import pytest

from picketline.letters.models import Letter, LetterAction, Role
from picketline.mail.outbox import send_due
from tests.events.helpers import confirmed_registration, online_meeting
from tests.letters.helpers import confirm_url, form_data, letter_action, target
from tests.submissions.helpers import make_video_message, supporter

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

EMAIL = "ivan@example.net"


def opened_page(client, smtp_server) -> str:
    client.post("/ru/me/privacy/", {"email": EMAIL})
    send_due()
    text = smtp_server.to(EMAIL)[-1].get_body(("plain",)).get_content()
    assert client.post(path_of(links_in(text)[0])).status_code == 302
    page = client.get("/ru/me/privacy/mine/").content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def rows_after(page: str, heading: str) -> str:
    return page.split(heading, 1)[1]


def written_in_russian(client, action: LetterAction, **changes) -> None:
    page = client.get(f"/ru/letters/{action.slug}/")
    textarea = page.content.decode().split('name="body"')[1].split("</textarea>")[0]
    body = html.unescape(textarea.split(">", 1)[1])
    for old, new in changes.items():
        body = body.replace(old, new)
    data = form_data(email=EMAIL, name="Иван Тестов", language="ru", body=body)
    client.post(f"/ru/letters/{action.slug}/", data)
    client.post(confirm_url(Letter.objects.filter(action=action).get()))


def test_a_kept_letter_shows_no_own_text_and_an_edited_one_what_was_written(client, smtp_server):
    minister = target("Federal Minister of Labour", "DE", Role.LABOUR_MINISTRY)
    whole = LetterAction.EditPolicy.WHOLE
    kept = letter_action("kept", title="Kept", fixed=[minister], edit_policy=whole)
    edited = letter_action("edited", title="Edited", fixed=[minister], edit_policy=whole)
    written_in_russian(client, kept)
    written_in_russian(client, edited, **{"Освободите профсоюзных активистов.": "Мои слова."})
    assert Letter.objects.get(action=kept).body == ""
    page = opened_page(client, smtp_server)
    assert "{salutation}" not in page and "{name}" not in page and "[[person:" not in page
    assert page.count("Ваш собственный текст письма") == 2
    assert "Action" not in page
    assert "Акция с письмом" in page
    # The kept letter: nothing of its own; the edited one: the words as written, brackets for
    # what the letter fills in.
    kept_rows = rows_after(page, "Акция с письмом Kept")
    assert kept_rows.split("Ваш собственный текст письма", 1)[1].startswith(" — ")
    edited_rows = rows_after(page, "Акция с письмом Edited")
    own = edited_rows.split("Ваш собственный текст письма", 1)[1]
    assert own.startswith(" Уважаемые [адресат]! Мои слова. С уважением, [ваше имя]")


def test_an_event_shows_its_title_and_a_video_the_country_by_name(client, smtp_server):
    event = online_meeting()
    confirmed_registration(event, EMAIL, language="ru")
    video = make_video_message(supporter=supporter(EMAIL, "Иван Тестов", "ru"))
    video.confirm()
    page = opened_page(client, smtp_server)
    assert event.title in page and event.slug not in page
    shown = rows_after(page, "Показываемая страна")
    assert shown.startswith(" Германия ")
