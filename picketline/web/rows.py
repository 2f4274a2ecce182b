"""One INSERT for one new model instance, without the ORM's query compiler.

``Model.save()`` builds its INSERT through the SQL compiler every time; on the forms that must
take hundreds of submissions a second that is a tenth of the request. ``insert`` writes the
same row with a statement built once per model (and conflict target): every concrete field
still goes through its own ``pre_save`` and ``get_db_prep_save``, so defaults, ``auto_now``
and encrypted fields behave exactly as with ``save()``. It sends no signals (the project
uses none) and calls no overridden ``save()``: use it only for models whose ``save`` adds
nothing, or do that part first, as ``Supporter`` does.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import Model


@cache
def _statement(model: type[Model], vendor: str, unless_exists: tuple[str, ...]) -> str:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields(model))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(_fields(model)))})"
    )
    if unless_exists:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in unless_exists)}) DO NOTHING"
    return f"{sql} RETURNING {quote(meta.pk.column)}"


@cache
def _fields(model: type[Model]) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def insert(instance: Model, *, unless_exists: tuple[str, ...] = ()) -> bool:
    """INSERT ``instance`` (new, without a primary key) and set its primary key.

    With ``unless_exists`` (the columns of a unique constraint) a row that would clash with an
    existing one is not written and no error is raised; a concurrent insert of the same key is
    waited for. Returns whether the row was written. PostgreSQL and SQLite ≥ 3.35 both speak
    ``ON CONFLICT … DO NOTHING RETURNING``."""
    model = type(instance)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in _fields(model)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(model, connection.vendor, unless_exists), values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return True
