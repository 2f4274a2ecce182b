"""Every answer carries the privacy and security headers: fresh pages, cached pages, the admin
login and error pages alike."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web import views

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def assert_protected(response, referrer_policy: str = "no-referrer") -> None:
    assert response["Referrer-Policy"] == referrer_policy
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, header
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
        assert feature in permissions


@pytest.fixture
def https_client() -> Client:
    class HttpsClient(Client):
        def get(self, path, *args, **kwargs):
            return super().get(path, *args, secure=True, **kwargs)

    return HttpsClient()


@pytest.mark.urls("tests.web.urls")
def test_it_protects_a_page(https_client):
    assert_protected(https_client.get("/en/"))


@pytest.mark.urls("tests.web.urls")
def test_it_keeps_the_headers_on_a_cached_page(https_client):
    views.calls.clear()
    fresh = https_client.get("/en/layout/")
    cached = https_client.get("/en/layout/")
    assert views.calls["with_base_template"] == 1
    assert_protected(cached)
    assert dict(cached.items()) == dict(fresh.items())


def test_it_protects_the_admin_login(https_client):
    response = https_client.get("/admin/login/")
    assert response.status_code == 200
    # A page with a POST form: "no-referrer" would make browsers post it with "Origin: null",
    # which the CSRF check refuses (tests/browser/test_admin.py logs in for real).
    assert_protected(response, referrer_policy="same-origin")


def test_it_protects_a_missing_page(https_client):
    response = https_client.get("/en/no-such-page-here/")
    assert response.status_code == 404
    assert_protected(response)


def test_it_sends_no_hsts_over_plain_http(client):
    """HSTS is only meaningful (and only allowed by the standard) over HTTPS."""
    response = client.get("/admin/login/")
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.urls("tests.web.urls")
def test_it_lets_a_page_with_a_post_form_name_only_this_site_as_referrer(https_client):
    assert_protected(https_client.get("/en/form/"), referrer_policy="same-origin")
    assert_protected(https_client.get("/en/search/"), referrer_policy="no-referrer")
