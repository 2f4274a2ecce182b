"""The WSGI fast path answers cached pages before Django runs, exactly as Django would."""

from __future__ import annotations

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, override_settings

from picketline.web.cache import PageCacheApplication
from picketline.web.form_token import HOLE
from tests.web import views
from tests.web.server import Server

pytestmark = [pytest.mark.urls("tests.web.urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_views():
    views.calls.clear()
    views.headline["text"] = "Free the unionists"


@pytest.fixture
def server() -> Server:
    return Server(PageCacheApplication(WSGIHandler()))


def test_it_answers_the_second_request_without_django(server):
    first = server.get("/en/layout/")
    second = server.get("/en/layout/")
    assert views.calls["with_base_template"] == 1
    assert second == first
    status, headers, body = second
    assert status == "200 OK"
    assert b"<h1>Campaign</h1>" in body
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


def test_it_shares_the_store_with_the_middleware(server, client):
    client.get("/en/")
    server.get("/en/")
    assert views.calls["home"] == 1


def test_it_lets_a_logged_in_organiser_through(server, client, admin_user):
    server.get("/en/")
    client.force_login(admin_user)
    session = client.cookies["sessionid"].value
    server.get("/en/", HTTP_COOKIE=f"csrftoken=abc; sessionid={session}")
    assert views.calls["home"] == 2


def test_it_never_answers_a_post(server):
    server.get("/en/search/")
    status, _headers, _body = server.get("/en/search/", method="POST")
    assert status.startswith("403")  # Django's CSRF check saw it: it did not come from the cache


def test_it_keeps_http_and_https_apart(server):
    """HSTS is sent over HTTPS only, so the two are different pages."""
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        proxied = Server(PageCacheApplication(WSGIHandler()))
        _s, plain, _b = proxied.get("/en/")
        _s, secure, _b = proxied.get("/en/", HTTP_X_FORWARDED_PROTO="https")
        _s, secure_again, _b = proxied.get("/en/", HTTP_X_FORWARDED_PROTO="https")
    assert views.calls["home"] == 2
    assert "Strict-Transport-Security" not in plain
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert secure_again == secure


def _token(body: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()


def test_it_answers_a_form_page_with_the_visitors_own_token_and_cookie(server):
    _s, first_headers, first = server.get("/en/form/")
    status, headers, body = server.get("/en/form/")
    assert views.calls["with_form"] == 1
    assert status == "200 OK"
    assert HOLE.encode() not in body
    assert _token(body) != _token(first)
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # a cookie for the browser's session only, from the cache as from the view
    assert "max-age" not in cookie.lower() and "expires" not in cookie.lower()
    assert "max-age" not in first_headers["Set-Cookie"].lower()
    assert cookie.split(";")[0] != first_headers["Set-Cookie"].split(";")[0]  # a new visitor
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-Frame-Options"] == "DENY"


def test_a_visitor_with_a_cookie_gets_a_token_for_that_cookie(server, client):
    client.get("/en/form/")  # stored by the middleware, the visitor now has a cookie
    secret = client.cookies["csrftoken"].value
    _status, headers, body = server.get("/en/form/", HTTP_COOKIE=f"csrftoken={secret}")
    assert views.calls["with_form"] == 1
    token = _token(body)
    assert headers["Set-Cookie"].startswith(f"csrftoken={secret};")
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["csrftoken"] = secret
    assert strict.post("/en/form/", {"csrfmiddlewaretoken": token}).status_code == 200
