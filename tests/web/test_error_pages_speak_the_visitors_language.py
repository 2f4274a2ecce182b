"""The pages a visitor gets when something is not there, not allowed, not readable or broken
are the site's own, in the visitor's language, and say what happened to what they sent."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from picketline.letters.models import Letter
from tests.letters.helpers import form_data, letter_action

pytestmark = pytest.mark.django_db

TITLES = {
    "en": ("Page not found", "Your form could not be sent", "Something went wrong on our side"),
    "ru": ("Страница не найдена", "Форму не удалось отправить", "У нас что-то сломалось"),
    "be": ("Старонка не знойдзена", "Форму не ўдалося адправіць", "У нас нешта зламалася"),
    "de": (
        "Seite nicht gefunden",
        "Ihr Formular konnte nicht gesendet werden",
        "Bei uns ist etwas schiefgegangen",
    ),
}


def letter_page(action, language: str = "en") -> str:
    with translation.override(language):
        return reverse("letters:action", kwargs={"slug": action.slug})


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", sorted(TITLES))
def test_a_missing_page_is_the_sites_own_in_the_visitors_language(visitor, language):
    response = visitor.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert TITLES[language][0] in page
    assert "The requested resource was not found" not in page
    assert f'href="/{language}/"' in page


@pytest.mark.parametrize("language", sorted(TITLES))
def test_a_form_sent_without_its_cookie_says_nothing_was_kept_and_what_to_do(visitor, language):
    """The cookie lasts the browser's session: a page that outlives it (reopened after the
    browser was closed, or left open while the browser deleted its cookies) sends the form
    without it."""
    action = letter_action()
    checking = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = checking.post(letter_page(action, language), form_data())
    assert response.status_code == 403
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert TITLES[language][1] in page
    assert "CSRF" not in page
    assert Letter.objects.count() == 0


# What the page says, in each language, when the cookie was missing (the browser deleted it at
# the end of its session, which is not always when it is closed) and when it was not.
COOKIE_DELETED = {
    "en": "the cookie has no expiry date, so the browser deletes it at the end of its session, "
    "usually when it is closed",
    "ru": "у этой cookie нет срока действия, поэтому браузер удаляет её, когда завершает свой "
    "сеанс, — обычно при закрытии",
    "be": "у гэтай cookie няма тэрміну дзеяння, таму браўзер выдаляе яе, калі завяршае свой "
    "сеанс, — звычайна пры закрыцці",
    "de": "das Cookie hat kein Ablaufdatum, daher löscht der Browser es, wenn er seine Sitzung "
    "beendet, meist beim Schließen",
}
NOT_CHECKED = {
    "en": "could not check that the form was sent from its own page",
    "ru": "не смог проверить, что форма отправлена с его собственной страницы",
    "be": "не змог праверыць, што форма адпраўлена з яго ўласнай старонкі",
    "de": "konnte nicht prüfen, ob das Formular von ihrer eigenen Seite gesendet wurde",
}


@pytest.mark.parametrize("language", sorted(TITLES))
def test_the_cookie_is_named_only_when_it_was_the_cookie(visitor, language):
    checking = Client(enforce_csrf_checks=True, raise_request_exception=False)
    action = letter_action()
    without_cookie = checking.post(letter_page(action, language), form_data()).content.decode()
    assert COOKIE_DELETED[language] in without_cookie
    assert NOT_CHECKED[language] not in without_cookie
    checking.cookies["csrftoken"] = "x" * 32
    with_a_wrong_token = checking.post(
        letter_page(action, language), {**form_data(), "csrfmiddlewaretoken": "y" * 32}
    )
    assert with_a_wrong_token.status_code == 403
    page = with_a_wrong_token.content.decode()
    assert NOT_CHECKED[language] in page
    assert COOKIE_DELETED[language] not in page


@pytest.mark.urls("tests.web.urls")
@pytest.mark.parametrize("language", sorted(TITLES))
def test_a_bug_shows_the_sites_own_500_in_the_visitors_language(visitor, language):
    response = visitor.get(f"/{language}/away/bug/")
    assert response.status_code == 500
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert TITLES[language][2] in page
    assert "Traceback" not in page and "Server Error (500)" not in page


@pytest.mark.urls("tests.web.urls")
@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Not allowed"), ("ru", "Доступ запрещён"), ("de", "Nicht erlaubt")],
)
def test_a_page_not_open_to_the_visitor_says_so_in_their_language(visitor, language, title):
    response = visitor.get(f"/{language}/away/forbidden/")
    assert response.status_code == 403
    assert title in response.content.decode()
    assert "not for this visitor" not in response.content.decode()
