"""The quicker CSRF unmasking answers exactly what Django's does, and Django uses it."""

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client

from picketline.web import csrf


def django_unmask(token: str) -> str:
    """Django's own function (django/middleware/csrf.py), as Django 5.2 writes it."""
    half = django_csrf.CSRF_SECRET_LENGTH
    chars = django_csrf.CSRF_ALLOWED_CHARS
    shifted = (chars.index(x) for x in token[half:])
    pairs = zip(shifted, (chars.index(x) for x in token[:half]), strict=False)
    return "".join(chars[x - y] for x, y in pairs)


def test_it_is_the_one_django_calls():
    assert django_csrf._unmask_cipher_token is csrf.unmask_cipher_token


def test_it_unmasks_what_django_masks():
    for _ in range(2000):
        secret = django_csrf._get_new_csrf_string()
        token = django_csrf._mask_cipher_secret(secret)
        assert csrf.unmask_cipher_token(token) == secret == django_unmask(token)


def test_a_character_outside_the_alphabet_is_refused_as_by_django():
    token = django_csrf._mask_cipher_secret(django_csrf._get_new_csrf_string())
    bad = token[:40] + "!" + token[41:]
    with pytest.raises(ValueError):
        django_unmask(bad)
    with pytest.raises(ValueError):
        csrf.unmask_cipher_token(bad)


@pytest.mark.django_db
def test_a_post_needs_the_right_token():
    client = Client(enforce_csrf_checks=True)
    secret = django_csrf._get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    good = django_csrf._mask_cipher_secret(secret)
    other = django_csrf._mask_cipher_secret(django_csrf._get_new_csrf_string())
    url = "/en/letters/nothing-here/"
    assert client.post(url, {"csrfmiddlewaretoken": other}).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": good}).status_code == 404  # past the check
