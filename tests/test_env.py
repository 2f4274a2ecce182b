import pytest
from django.core.exceptions import ImproperlyConfigured

from picketline.lib.email_url import parse_email_url
from picketline.lib.env import env_bool, env_int, env_list, env_secret


def test_it_reads_booleans_and_refuses_nonsense():
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "0"}) is False
    assert env_bool("X", default=True, environ={}) is True
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", environ={"X": "maybe"})


def test_it_checks_integer_bounds():
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, environ={"N": "7"}) == 7
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_it_splits_lists():
    assert env_list("H", environ={"H": "a.example, b.example,"}) == ["a.example", "b.example"]
    assert env_list("H", ["x"], environ={}) == ["x"]


def test_it_reads_secrets_from_files(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_secret("KEY", environ={"KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_secret("KEY", environ={"KEY_FILE": str(tmp_path / "missing")})
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("KEY", environ={"KEY": "a", "KEY_FILE": str(secret)})


def test_it_parses_email_urls():
    smtp = parse_email_url("smtp+tls://user%40x:p%2Fw@mail.example:2525")
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "user@x"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] is True
    assert parse_email_url("smtps://mail.example")["EMAIL_PORT"] == 465
    assert parse_email_url("mailbox:")["EMAIL_BACKEND"].endswith("LocalMailboxBackend")
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        parse_email_url("carrier-pigeon://coop")
