"""Key rotation: re-encrypt every encrypted field with the current key, bound to its column.

Columns are found through the app registry, so a new model with encrypted fields is covered
without listing it here. Rows are read raw (ciphertext) and only those whose key id is not the
current one, or that were sealed without their column as associated data (the old format), are
rewritten, by a conditional UPDATE on the old ciphertext, so the command can be
stopped and run again, and a row changed meanwhile by the site is left to its new value.

A value that does not open (its key was taken out of PICKETLINE_ENCRYPTION_KEYS, or it is
damaged) is left as it is and counted, and the rotation goes on with the rest: with the key
back, a second run rotates it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from picketline.lib.crypto import DecryptionError
from picketline.web.fields import EncryptedMixin, key_ring


@dataclass
class Rotation:
    """What a rotation did, per ``<app>.<Model>.<field>``: never a value, only counts, and
    why the unreadable ones do not open (``KeyRing.why_unreadable``: a key id, or "damaged")."""

    rotated: Counter[str] = field(default_factory=Counter)
    current: Counter[str] = field(default_factory=Counter)  # under the current key already
    unreadable: Counter[str] = field(default_factory=Counter)
    why: dict[str, Counter[str]] = field(default_factory=dict)

    def places(self) -> list[str]:
        """Every field that holds a value, in the order they were rotated."""
        return list(dict.fromkeys([*self.rotated, *self.current, *self.unreadable]))


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


def rotate_model(
    model: type, fields: list[EncryptedMixin], batch: int = 500, done: Rotation | None = None
) -> Rotation:
    done = done if done is not None else Rotation()
    ring = key_ring()
    current = ring.current.id
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    columns = [connection.ops.quote_name(f.column) for f in fields]
    places = [f"{model._meta.label}.{f.name}" for f in fields]
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
            return done
        last_pk = rows[-1][0]
        with transaction.atomic():
            for pk, *values in rows:
                for fld, column, place, value in zip(fields, columns, places, values, strict=True):
                    if not value:
                        continue
                    if ring.key_id_of(value) == current and ring.is_bound(value):
                        done.current[place] += 1
                        continue
                    try:
                        fresh = fld.encrypt(fld.decrypt(value))
                    except DecryptionError:
                        done.unreadable[place] += 1
                        done.why.setdefault(place, Counter())[ring.why_unreadable(value)] += 1
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s "  # noqa: S608
                            f"WHERE {pk_column} = %s AND {column} = %s",
                            [fresh, pk, value],
                        )
                        done.rotated[place] += cursor.rowcount


def rotate_all(batch: int = 500) -> Rotation:
    """Rotate every encrypted column; a value that does not open is counted, not a stop."""
    done = Rotation()
    for model, fields in encrypted_columns():
        rotate_model(model, fields, batch, done)
    return done
