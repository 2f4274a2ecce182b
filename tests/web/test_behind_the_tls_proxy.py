"""Behind the TLS proxy the README asks for, the HTTPS redirect does not loop: a request the
trusted proxy marks as HTTPS is served, and no other peer can claim HTTPS."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return settings


def get(client, address: str):
    return client.get(
        "/en/me/privacy/",
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )


def test_a_request_the_trusted_proxy_marks_https_is_served(client, behind_proxy):
    assert get(client, PROXY).status_code == 200


def test_another_peer_claiming_https_is_redirected(client, behind_proxy):
    response = get(client, "198.51.100.4")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("10.0.0.5", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("", "None")],
)
def test_the_proxy_header_is_believed_once_proxies_are_trusted(trusted, expected):
    env = {**os.environ, "TRUSTED_PROXIES": trusted, "TRUST_PROXY_SSL_HEADER": "0"}
    code = "import tests.settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected
