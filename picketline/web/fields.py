"""Model fields that keep personal data encrypted at rest (see ``picketline.lib.crypto``)."""

from __future__ import annotations

import base64
import functools
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

from picketline.lib.crypto import DecryptionError, Key, KeyRing, key_from_text, normalise_email


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


class Unreadable(str):
    """What a field made with ``reads_unreadable=True`` reads when its stored value does not
    open (its key was taken out of PICKETLINE_ENCRYPTION_KEYS, or the value is damaged): the
    empty string to whoever reads it, with ``reason`` saying why (never the content). It keeps
    the stored value, which saving the row writes back as it was, so that the value opens
    again once its key is back."""

    stored: str
    reason: str

    def __new__(cls, stored: str, reason: str) -> Unreadable:
        value = super().__new__(cls, "")
        value.stored = stored
        value.reason = reason
        return value

    def __getnewargs__(self) -> tuple[str, str]:  # a copy or a pickle keeps the stored value
        return (self.stored, self.reason)


class EncryptedMixin:
    """Encrypts a field's value on its way to the database and decrypts it on its way back.

    The column is text whatever the field's Python type. Each value is sealed with its place,
    ``<db_table>.<column>``, as associated data: a ciphertext copied into another column or
    table does not decrypt there (``DecryptionError``) instead of showing up in the wrong field.
    Empty values stay empty (nothing to hide, and "is it set?" queries keep working); the
    column cannot be filtered or ordered on otherwise, by design.

    A value that does not open raises ``DecryptionError`` and stops the whole query, unless
    the field is made with ``reads_unreadable=True``: it then reads as ``Unreadable``, so that
    one damaged row does not hide every other (the outbox). Not part of the migration state:
    it changes nothing in the database.
    """

    associated_data = b""
    reads_unreadable = False

    def __init__(self, *args: Any, reads_unreadable: bool = False, **kwargs: Any) -> None:
        self.reads_unreadable = reads_unreadable
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        # The column is known now (set from the name); the table was set by the model's Meta.
        self.associated_data = f"{cls._meta.db_table}.{self.column}".encode()

    def get_internal_type(self) -> str:
        return "TextField"

    def encrypt(self, plaintext: str) -> str:
        return key_ring().encrypt(plaintext, associated_data=self.associated_data)

    def decrypt(self, token: str) -> str:
        try:
            return key_ring().decrypt(token, associated_data=self.associated_data)
        except DecryptionError as exc:
            raise DecryptionError(f"{self.associated_data.decode()}: {exc}") from None

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return self.to_python(self.decrypt(value))
        except DecryptionError:
            if not self.reads_unreadable:
                raise
            return Unreadable(value, key_ring().why_unreadable(value))

    def get_prep_value(self, value: Any) -> str | None:
        if isinstance(value, Unreadable):
            return value.stored  # written back as it was: it opens again with its key
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return self.encrypt(str(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        # Already text: no adaptation by the field's own type (a decimal would be adapted).
        return value if prepared else self.get_prep_value(value)


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Text encrypted at rest. A short field (``max_length`` up to 300) keeps a one-line input."""

    def formfield(self, **kwargs: Any) -> Any:
        if self.max_length is not None and self.max_length <= 300 and not self.choices:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedDecimalField(EncryptedMixin, models.DecimalField):
    """A decimal (coordinates) encrypted at rest, stored as its text."""


def encrypt_existing_rows(app_label: str, model_name: str, *names: str) -> migrations.RunPython:
    """A migration step, after the AlterField that makes these fields encrypted: encrypts each
    value the rows hold in clear through the field's own ``get_prep_value`` (so bound to its
    column). Reversed, it writes the decrypted values back, for the AlterField undone next."""

    def rewrite(apps: Any, schema_editor: Any, *, forwards: bool) -> None:
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        for name in names:
            field = model._meta.get_field(name)
            column = quote(field.column)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} "  # noqa: S608
                    f"WHERE {column} IS NOT NULL AND {column} <> ''"
                )
                rows = cursor.fetchall()
                for row_pk, value in rows:
                    new = field.get_prep_value(value) if forwards else field.decrypt(value)
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                        [new, row_pk],
                    )

    return migrations.RunPython(
        functools.partial(rewrite, forwards=True),
        functools.partial(rewrite, forwards=False),
        elidable=False,
    )
