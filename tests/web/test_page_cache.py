"""The anonymous page cache: hits skip the view, edits show at once, visitors' own pages never
leak to others."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client, RequestFactory
from django.utils import timezone

from picketline.web.cache import PageKeys
from picketline.web.content import content_changed, content_version
from picketline.web.form_token import HOLE
from tests.web import views

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.urls("tests.web.urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_views():
    views.calls.clear()
    views.headline["text"] = "Free the unionists"
    yield


def test_it_serves_the_second_request_without_calling_the_view(client):
    first = client.get("/en/")
    second = client.get("/en/")
    assert views.calls["home"] == 1
    assert second.status_code == 200
    assert second.content == first.content
    assert b"Free the unionists" in second.content


def test_it_keeps_languages_apart(client):
    english = client.get("/en/")
    german = client.get("/de/")
    client.get("/de/")
    assert views.calls["home"] == 2
    assert english["Content-Language"] == "en"
    assert german["Content-Language"] == "de"


def test_it_shows_an_organisers_edit_at_once(client, django_capture_on_commit_callbacks):
    client.get("/en/")
    views.headline["text"] = "Release them now"
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
    response = client.get("/en/")
    assert b"Release them now" in response.content
    assert views.calls["home"] == 2


def test_it_keeps_the_old_page_until_the_edit_commits(client, django_capture_on_commit_callbacks):
    client.get("/en/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        content_changed()
        assert client.get("/en/").content.count(b"Free the unionists") == 1
    assert views.calls["home"] == 1
    for callback in callbacks:
        callback()
    client.get("/en/")
    assert views.calls["home"] == 2


def test_it_sees_an_edit_made_in_another_process(client):
    """Web workers are separate processes with separate local caches: an edit saved through one
    of them must reach the pages cached by every other one, at once."""
    client.get("/en/")
    client.get("/en/")
    assert views.calls["home"] == 1
    before = content_version()
    views.headline["text"] = "Release them now"
    edit = (
        "import django; django.setup(); "
        "from picketline.web.content import bump_content_version; bump_content_version()"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    subprocess.run([sys.executable, "-c", edit], cwd=ROOT, env=env, check=True, timeout=120)
    assert content_version() == before + 1
    response = client.get("/en/")
    assert b"Release them now" in response.content
    assert views.calls["home"] == 2


def test_it_bypasses_the_cache_for_a_logged_in_organiser(client, admin_user):
    client.get("/en/")
    client.force_login(admin_user)
    client.get("/en/")
    client.get("/en/")
    assert views.calls["home"] == 3


def _token(response) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


def test_it_stores_a_form_page_once_and_gives_each_visitor_their_own_token():
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_page, bob_page = alice.get("/en/form/"), bob.get("/en/form/")
    assert views.calls["with_form"] == 1  # Bob's page came from the cache
    assert HOLE.encode() not in alice_page.content + bob_page.content
    alice_token, bob_token = _token(alice_page), _token(bob_page)
    assert alice_token != bob_token
    alice_secret, bob_secret = alice.cookies["csrftoken"].value, bob.cookies["csrftoken"].value
    assert alice_secret != bob_secret
    # Each token is good with its own visitor's cookie, and with nobody else's.
    assert alice.post("/en/form/", {"csrfmiddlewaretoken": alice_token}).status_code == 200
    assert bob.post("/en/form/", {"csrfmiddlewaretoken": bob_token}).status_code == 200
    assert alice.post("/en/form/", {"csrfmiddlewaretoken": bob_token}).status_code == 403
    assert bob.post("/en/form/", {"csrfmiddlewaretoken": alice_token}).status_code == 403


def test_a_returning_visitor_keeps_their_cookie_and_gets_a_fresh_mask_of_it():
    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get("/en/form/")
    secret = visitor.cookies["csrftoken"].value
    second = visitor.get("/en/form/")  # from the cache, with the visitor's cookie
    assert views.calls["with_form"] == 1
    assert visitor.cookies["csrftoken"].value == secret
    assert _token(first) != _token(second)  # masked afresh each time, as Django does
    assert visitor.post("/en/form/", {"csrfmiddlewaretoken": _token(first)}).status_code == 200


def test_the_stored_page_holds_the_hole_and_no_token_or_cookie(client):
    client.get("/en/form/")
    entry = caches["default"].get(PageKeys().key(RequestFactory().get("/en/form/").META))
    status, headers, body, holed = entry
    assert holed and status == 200
    assert HOLE.encode() in body
    assert client.cookies["csrftoken"].value.encode() not in body
    assert not any(name.lower() == "set-cookie" for name, _value in headers)


def test_it_stores_a_template_response_with_a_hole_too():
    first, second = Client(), Client()
    first_page, second_page = first.get("/en/form-lazy/"), second.get("/en/form-lazy/")
    assert views.calls["with_form_lazy"] == 1
    assert _token(first_page) != _token(second_page)


def test_it_never_stores_a_page_that_reused_the_visitors_token(client):
    client.get("/en/token/")
    assert "csrftoken" in client.cookies
    client.get("/en/token/")
    client.get("/en/token/")
    assert views.calls["with_token_reused"] == 3


def test_it_caches_a_form_that_needs_no_token(client):
    client.get("/en/search/")
    client.get("/en/search/")
    assert views.calls["search"] == 1


def test_it_caches_pages_built_on_the_site_layout(client):
    first = client.get("/en/layout/")
    second = client.get("/en/layout/")
    assert views.calls["with_base_template"] == 1
    assert b"<h1>Campaign</h1>" in second.content
    assert second.cookies == first.cookies == {}


def test_it_leaves_pages_that_did_not_opt_in_alone(client):
    client.get("/en/fresh/")
    client.get("/en/fresh/")
    assert views.calls["not_opted_in"] == 2


def test_it_does_not_store_error_pages(client):
    assert client.get("/en/missing/").status_code == 404
    client.get("/en/missing/")
    assert views.calls["missing"] == 2


def test_it_does_not_cache_paths_without_a_language(client):
    client.get("/plain/")
    client.get("/plain/")
    assert views.calls["home"] == 2


def test_it_passes_requests_with_a_query_string_to_the_view(client):
    client.get("/en/")
    client.get("/en/?utm_source=mastodon")
    assert views.calls["home"] == 2


def test_it_leaves_very_long_paths_alone(client):
    from picketline.web.cache import MAX_PATH_LENGTH, PageKeys

    assert PageKeys().key({"REQUEST_METHOD": "GET", "PATH_INFO": "/en/"}) is not None
    long_path = "/en/" + "a" * MAX_PATH_LENGTH + "/"
    assert PageKeys().key({"REQUEST_METHOD": "GET", "PATH_INFO": long_path}) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"PATH_INFO": "/en/x\n203.0.113.9 forged line/"},
        {"PATH_INFO": "/en/x\x00/"},
        {"PATH_INFO": "/en/a b/"},
        {"PATH_INFO": "/en/", "HTTP_HOST": "campaign.example" + "x" * 250},
    ],
    ids=["line break", "NUL", "space", "long host"],
)
def test_it_leaves_addresses_no_cache_key_can_hold_alone(environ, recwarn):
    from picketline.web.cache import PageKeys

    assert PageKeys().key({"REQUEST_METHOD": "GET", **environ}) is None
    client = Client()
    client.get(environ["PATH_INFO"], headers={"Host": environ.get("HTTP_HOST", "testserver")})
    # Django's warning about such a key would print it, unfiltered, to the error log.
    assert not [w for w in recwarn if w.category is CacheKeyWarning]


def test_it_passes_visitors_with_a_flash_message_to_the_view(client):
    client.get("/en/")
    client.cookies[CookieStorage.cookie_name] = "anything"
    client.get("/en/")
    assert views.calls["home"] == 2


def test_it_answers_head_from_the_cache_but_never_post(client):
    client.get("/en/")
    assert client.head("/en/").status_code == 200
    assert views.calls["home"] == 1
    client.post("/en/search/")
    client.post("/en/search/")
    assert views.calls["search"] == 2


def test_it_forgets_a_page_when_its_time_is_up(client):
    """Pages change with the clock (past / today / upcoming), so no entry lives for ever."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/en/")
        traveller.shift(timedelta(seconds=59))
        client.get("/en/")
        assert views.calls["home"] == 1
        traveller.shift(timedelta(seconds=2))
        client.get("/en/")
        assert views.calls["home"] == 2
