"""A quicker unmasking of the CSRF token, for Django's own CSRF check.

Every POST's token is a random mask followed by the secret shifted by that mask. Django
undoes the shift one character at a time in Python generators (a fortieth of a letter
submission); this does the same arithmetic by looking pairs of characters up in a table
built once, in C. ``install()`` (run by the web app's ``ready()``) puts it in the place of
Django's function; the check itself is Django's, unchanged.
"""

from __future__ import annotations

from itertools import product

from django.middleware import csrf as django_csrf

_CHARS = django_csrf.CSRF_ALLOWED_CHARS
# (character of the shifted secret, character of the mask) -> character of the secret.
_UNSHIFT = {
    (shifted, mask): _CHARS[_CHARS.index(shifted) - _CHARS.index(mask)]
    for shifted, mask in product(_CHARS, repeat=2)
}


def unmask_cipher_token(token: str) -> str:
    """What ``django.middleware.csrf._unmask_cipher_token`` returns for ``token``."""
    half = django_csrf.CSRF_SECRET_LENGTH
    try:
        return "".join(map(_UNSHIFT.__getitem__, zip(token[half:], token[:half], strict=False)))
    except KeyError:
        raise ValueError("a character outside the CSRF alphabet") from None


def install() -> None:
    if not callable(getattr(django_csrf, "_unmask_cipher_token", None)):
        raise RuntimeError("Django's CSRF module has changed: review picketline.web.csrf")
    django_csrf._unmask_cipher_token = unmask_cipher_token
