"""Model fields that keep personal data encrypted at rest (see ``picketline.lib.crypto``)."""

from __future__ import annotations

import base64
import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from picketline.lib.crypto import Key, KeyRing, key_from_text, normalise_email


@functools.cache
def key_ring() -> KeyRing:
    try:
        keys: list[Key] = [key_from_text(text) for text in settings.ENCRYPTION_KEYS]
        index = settings.ENCRYPTION_INDEX_KEY
        index_key = base64.urlsafe_b64decode(index.encode() + b"=" * (-len(index) % 4))
        return KeyRing(keys, index_key)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PICKETLINE_ENCRYPTION_KEYS: {exc}") from None


def email_index(address: str) -> str:
    return key_ring().blind_index(normalise_email(address), purpose="email")


class EncryptedTextField(models.TextField):
    """A text column whose value is encrypted before it reaches the database.

    Empty strings stay empty (nothing to hide, and it keeps "is it set?" queries possible);
    the column cannot be filtered or ordered on, by design.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return key_ring().decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return key_ring().encrypt(str(value))
