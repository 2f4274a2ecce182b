"""Key rotation: re-encrypt every encrypted field with the current key, bound to its column.

Columns are found through the app registry, so a new model with encrypted fields is covered
without listing it here. Rows are read raw (ciphertext) and only those whose key id is not the
current one, or that were sealed without their column as associated data (the old format), are
rewritten, by a conditional UPDATE on the old ciphertext, so the command can be
stopped and run again, and a row changed meanwhile by the site is left to its new value.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from picketline.web.fields import EncryptedMixin, key_ring


def encrypted_columns() -> list[tuple[type, list[EncryptedMixin]]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Local fields only: a parent's columns live in (and are rotated with) its own table.
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedMixin)]
        if fields:
            found.append((model, fields))
    return found


def rotate_model(model: type, fields: list[EncryptedMixin], batch: int = 500) -> int:
    ring = key_ring()
    current = ring.current.id
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    columns = [connection.ops.quote_name(f.column) for f in fields]
    rewritten = 0
    last_pk = None
    while True:
        where = f"WHERE {pk_column} > %s " if last_pk is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk_column}, {', '.join(columns)} FROM {table} {where}"  # noqa: S608
                f"ORDER BY {pk_column} LIMIT %s",
                [last_pk, batch] if last_pk is not None else [batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return rewritten
        last_pk = rows[-1][0]
        with transaction.atomic():
            for pk, *values in rows:
                for field, column, value in zip(fields, columns, values, strict=True):
                    if not value or (ring.key_id_of(value) == current and ring.is_bound(value)):
                        continue
                    fresh = field.encrypt(field.decrypt(value))
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s "  # noqa: S608
                            f"WHERE {pk_column} = %s AND {column} = %s",
                            [fresh, pk, value],
                        )
                        rewritten += cursor.rowcount


def rotate_all(batch: int = 500) -> dict[str, int]:
    return {
        model._meta.label: rotate_model(model, fields, batch)
        for model, fields in encrypted_columns()
    }
