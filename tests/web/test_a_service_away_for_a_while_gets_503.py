"""A database, Redis or disk that is away for a while: the visitor gets a short 503 with
Retry-After, in their language, with no traceback and nothing they sent; a bug is still a 500."""

import socket
import time

import pytest
from django.test import Client

from picketline.letters.models import Letter
from picketline.lib.redis_caches import redis_caches
from tests.letters.helpers import form_data, letter_action, target

pytestmark = pytest.mark.urls("tests.web.urls")


@pytest.fixture
def visitor():
    # As a browser sees it: an exception becomes a page, it is not raised into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("kind", ["database", "closed", "redis", "disk"])
def test_it_answers_503_with_retry_after(visitor, kind):
    response = visitor.get(f"/en/away/{kind}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "Please try again in a minute." in page
    assert "Traceback" not in page and "refused" not in page and "ENOSPC" not in page


def test_a_bug_is_still_a_server_error(visitor):
    response = visitor.get("/en/away/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_it_tells_who_posted_that_it_may_not_have_arrived_and_repeats_nothing(visitor):
    response = visitor.post("/en/away/database/", {"email": "anna@example.net", "name": "Anna"})
    page = response.content.decode()
    assert response.status_code == 503
    assert "What you sent may not have reached us: please send it again then." in page
    assert "anna@example.net" not in page and "Anna" not in page


def test_it_speaks_the_visitors_language(visitor):
    page = visitor.get("/ru/away/database/").content.decode()
    assert 'lang="ru"' in page
    assert "Скоро вернёмся" in page


@pytest.mark.urls("picketline.urls")
@pytest.mark.django_db
def test_while_redis_is_away_pages_are_made_afresh_and_actions_wait(settings, visitor):
    """Nothing listens on port 9 of loopback: a Redis that stopped. The page cache misses and
    the page is made; a letter, whose rate limit cannot be counted, is refused with a 503 and
    not stored uncounted."""
    action = letter_action(fixed=[target("Embassy", "DE")])
    away = "redis://127.0.0.1:9/0"
    settings.REDIS_URL = away
    settings.CACHES = redis_caches(away)  # what settings.py makes of REDIS_URL
    url = f"/en/letters/{action.slug}/"
    assert visitor.get(url).status_code == 200
    response = visitor.post(url, form_data())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert not Letter.objects.exists()


@pytest.mark.urls("picketline.urls")
@pytest.mark.django_db
def test_a_redis_that_takes_connections_but_never_answers_is_given_up_on(settings, visitor):
    """A listening socket nobody reads: the connection is made, every reply is awaited in
    vain. Each command gives up after a tenth of a second instead of holding the visitor
    past a client's patience (the fault suite's clients wait 10 s)."""
    action = letter_action(fixed=[target("Embassy", "DE")])
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        stuck = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.REDIS_URL = stuck
        settings.CACHES = redis_caches(stuck)
        url = f"/en/letters/{action.slug}/"
        started = time.monotonic()
        assert visitor.get(url).status_code == 200
        assert time.monotonic() - started < 10
        started = time.monotonic()
        assert visitor.post(url, form_data()).status_code == 503
        assert time.monotonic() - started < 10
    assert not Letter.objects.exists()
