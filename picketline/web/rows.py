"""One INSERT for one new model instance, without the ORM's query compiler.

``Model.save()`` builds its INSERT through the SQL compiler every time; on the forms that must
take hundreds of submissions a second that is a tenth of the request. ``insert`` writes the
same row with a statement built once per model (and conflict target): every concrete field
still goes through its own ``pre_save`` and ``get_db_prep_save``, so defaults, ``auto_now``
and encrypted fields behave exactly as with ``save()``. The one shortcut: a value that
Django's own field would hand over unchanged (``None``, a ``str`` in a plain text field, a
``bool``, an ``int`` key, an aware time on PostgreSQL) goes as it is. It sends no signals (the project uses none) and calls no
overridden ``save()``: use it only for models whose ``save`` adds nothing, or do that part
first, as ``Supporter`` does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import NamedTuple

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import (
    AutoField,
    BigAutoField,
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    ForeignKey,
    Model,
    TextField,
)
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def _passes_as_is(field: Field, vendor: str) -> type | None:
    """The type of a value this field hands to the database unchanged (None too), when it
    is one of Django's own fields whose preparation is known to do nothing to it: text, a
    boolean, a foreign key to an automatic key, and on PostgreSQL an aware date and time.
    None: every value goes through the field's preparation."""
    kind = type(field)
    if (
        isinstance(field, CharField | TextField)
        and kind.get_db_prep_save is Field.get_db_prep_save
        and kind.get_db_prep_value is Field.get_db_prep_value
        and kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and kind.pre_save is Field.pre_save
    ):
        return str
    if kind is BooleanField:
        return bool
    if kind is ForeignKey and type(field.target_field) in (AutoField, BigAutoField):
        return int
    if kind is DateTimeField and vendor == "postgresql":
        return None if field.auto_now or field.auto_now_add else datetime
    return None


def _prepared(instance: Model, attname: str, field: Field, kind: type | None, connection):
    """The value of ``field`` to write, as ``save()`` would prepare it."""
    value = getattr(instance, attname)
    if kind is not None and (
        value is None
        or (type(value) is kind and (kind is not datetime or value.tzinfo is not None))
    ):
        return value
    return field.get_db_prep_save(field.pre_save(instance, True), connection)


@cache
def _plan(model: type[Model], unless_exists: tuple[str, ...]) -> tuple[str, list]:
    """The statement and, per column, (attribute name, field, passes str unchanged?)."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if unless_exists:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in unless_exists)}) DO NOTHING"
    sql += f" RETURNING {quote(meta.pk.column)}"
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    return sql, [(field.attname, field, _passes_as_is(field, vendor)) for field in fields]


def insert(instance: Model, *, unless_exists: tuple[str, ...] = ()) -> bool:
    """INSERT ``instance`` (new, without a primary key) and set its primary key.

    With ``unless_exists`` (the columns of a unique constraint) a row that would clash with an
    existing one is not written and no error is raised; a concurrent insert of the same key is
    waited for. Returns whether the row was written. PostgreSQL and SQLite ≥ 3.35 both speak
    ``ON CONFLICT … DO NOTHING RETURNING``."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, columns = _plan(type(instance), unless_exists)
    values = [_prepared(instance, *column, connection) for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return True


class _Construction(NamedTuple):
    constants: dict[str, object]  # attribute name: the default Django hands out every time
    factories: tuple[tuple[str, str | None, Callable[[], object]], ...]  # and relation name
    relations: tuple[str, ...]  # names of relations that may be given as instances
    known: frozenset[str]  # every name ``new`` accepts


@cache
def _construction(model: type[Model]) -> _Construction | None:
    """How to build ``model``'s rows without ``Model.__init__``; None for a model that needs it."""
    if model.__init__ is not Model.__init__:
        return None
    constants, factories, relations = {}, [], []
    for field in model._meta.concrete_fields:
        if field.generated:
            continue  # the database writes it; Model.__init__ leaves it unset too
        relation = field.name if field.is_relation else None
        if field.has_default() and callable(field.default):
            factories.append((field.attname, relation, field.default))
        else:
            # Django hands out the same object each time for a default that is not callable.
            constants[field.attname] = field.get_default()
        if relation is not None:
            relations.append(relation)
    known = frozenset(constants) | {f[0] for f in factories} | set(relations)
    return _Construction(constants, tuple(factories), tuple(relations), known)


def new(model: type[Model], /, **values: object) -> Model:
    """``model(**values)``, for a row about to be inserted, built without the general
    ``Model.__init__`` (a fifth of the time): values by attribute name (``action_id``) or, for
    a relation, by field name (an instance, remembered by the new one as with
    ``model(...)``); every other field takes its default. A model with an ``__init__`` of its
    own, or with receivers of ``pre_init``/``post_init``, is built the usual way."""
    construction = _construction(model)
    if (
        construction is None
        or (pre_init.receivers and pre_init.has_listeners(model))
        or (post_init.receivers and post_init.has_listeners(model))
    ):
        return model(**values)
    if not values.keys() <= construction.known:
        unexpected = ", ".join(name for name in values if name not in construction.known)
        raise TypeError(f"{model.__name__}() got unexpected arguments: {unexpected}")
    instance = model.__new__(model)
    instance._state = ModelState()
    attributes = instance.__dict__
    attributes.update(construction.constants)
    for attname, relation, factory in construction.factories:
        if attname not in values and relation not in values:
            attributes[attname] = factory()
    related = [(name, values.pop(name)) for name in construction.relations if name in values]
    attributes.update(values)
    for relation, value in related:
        setattr(instance, relation, value)  # through the descriptor: sets the key, remembers
    return instance


@dataclass(frozen=True)
class Link:
    """A column of a later row that takes the primary key of an earlier row of the same
    ``insert_linked`` call (its position in the list), optionally after a text prefix."""

    row: int
    prefix: str = ""


def insert_linked(
    entries: list[tuple[Model, dict[str, Link]]], *, unless_exists: tuple[str, ...] = ()
) -> bool:
    """INSERT several new rows that refer to each other in one statement (PostgreSQL only):
    one round trip, and atomic without a transaction around it.

    ``entries``: (instance, {attribute name: Link}) in order; a link points to an earlier
    entry. ``unless_exists`` applies to the first row: when it clashes nothing at all is
    written and the result is False. Otherwise every instance gets its primary key and its
    linked attributes, and the result is True."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise NotImplementedError("insert_linked needs PostgreSQL's data-modifying WITH")
    # Empty values are written into the statement (NULL, ''), not passed: fewer parameters,
    # and the statement stays one that psycopg caches (at most 50 parameters).
    shape, params = [], []
    for instance, links in entries:
        empty = []
        columns, read = _unlinked_columns(type(instance), tuple(links))
        for value, (attname, field, kind) in zip(read(instance), columns, strict=True):
            # _prepared(), inline: this loop runs for every column of every row.
            if kind is None or not (
                value is None
                or (type(value) is kind and (kind is not datetime or value.tzinfo is not None))
            ):
                value = field.get_db_prep_save(field.pre_save(instance, True), connection)
            if value is None or value == "":
                empty.append((attname, value is None))
            else:
                params.append(value)
        shape.append((type(instance), tuple(sorted(links.items())), tuple(empty)))
        params.extend(link.prefix for _attname, link in sorted(links.items()) if link.prefix)
    sql, params_order = _linked_statement(tuple(shape), unless_exists)
    params = [params[n] for n in params_order]
    # Bound on the server and prepared: PostgreSQL parses and plans this long statement once
    # per connection instead of once per submission, which halves its share of the work.
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    for (instance, links), pk in zip(entries, row, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = DEFAULT_DB_ALIAS
        for attname, link in links.items():
            key = row[link.row]
            setattr(instance, attname, f"{link.prefix}{key}" if link.prefix else key)
    return True


@cache
def _unlinked_columns(
    model: type[Model], linked: tuple[str, ...]
) -> tuple[list[tuple[str, Field, type | None]], Callable[[Model], tuple]]:
    """The columns of ``_plan`` not in ``linked``, and a function that reads their values from
    an instance, all at once."""
    columns = [column for column in _plan(model, ())[1] if column[0] not in linked]
    if len(columns) < 2:  # attrgetter gives a tuple only for two names or more
        return columns, lambda instance: tuple(getattr(instance, c[0]) for c in columns)
    return columns, attrgetter(*(attname for attname, _field, _kind in columns))


@cache
def _linked_statement(
    shape: tuple[
        tuple[type[Model], tuple[tuple[str, Link], ...], tuple[tuple[str, bool], ...]], ...
    ],
    unless_exists: tuple[str, ...],
) -> tuple[str, list[int]]:
    """The statement for rows of these models, with these links and these empty columns
    ((attribute name, NULL rather than ''?)), and the order in which it takes the parameters
    ``insert_linked`` collects (per row: the values of the other columns, then the link
    prefixes)."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    parts, order, collected = [], [], 0
    for position, (model, link_items, empty) in enumerate(shape):
        links, empty = dict(link_items), dict(empty)
        meta = model._meta
        columns = _plan(model, ())[1]
        values = [a for a, _f, _p in columns if a not in links and a not in empty]
        prefixes = [a for a, link in link_items if link.prefix]
        first_value, first_prefix = collected, collected + len(values)
        collected += len(values) + len(prefixes)
        names, select, sources = [], [], set()
        for attname, field, _plain in columns:
            names.append(quote(field.column))
            cast = _cast_type(field, connection)
            link = links.get(attname)
            if link is None:
                # Text stays untyped (its column checks the length when it is assigned);
                # everything else says its type, which a SELECT cannot guess.
                if attname in empty:
                    literal = "NULL" if empty[attname] else "''"
                    select.append(literal if cast == "text" else f"{literal}::{cast}")
                else:
                    order.append(first_value + values.index(attname))
                    select.append("%s" if cast == "text" else f"%s::{cast}")
                continue
            if not 0 <= link.row < position:
                raise ValueError(f"{attname} links to row {link.row}, not an earlier one")
            sources.add(link.row)
            key = f"r{link.row}.{quote(shape[link.row][0]._meta.pk.column)}"
            if link.prefix:
                order.append(first_prefix + prefixes.index(attname))
                select.append(f"%s || {key}")
            else:
                select.append(key)
        table = f"INSERT INTO {quote(meta.db_table)} ({','.join(names)}) "
        if position == 0:
            body = table + f"VALUES ({','.join(select)})"
            if unless_exists:
                body += f" ON CONFLICT ({','.join(quote(c) for c in unless_exists)}) DO NOTHING"
        else:
            if not sources:
                raise ValueError(f"row {position} links to no earlier row")
            body = (
                table
                + f"SELECT {','.join(select)} FROM {','.join(f'r{n}' for n in sorted(sources))}"
            )
        parts.append(f"r{position} AS ({body} RETURNING {quote(meta.pk.column)})")
    keys = ",".join(
        f"r{n}.{quote(model._meta.pk.column)}" for n, (model, *_rest) in enumerate(shape)
    )
    rows = ",".join(f"r{n}" for n in range(len(shape)))
    return f"WITH {','.join(parts)} SELECT {keys} FROM {rows}", order


class _PreparedPsycopgCursor(psycopg.Cursor):
    """Prepares every statement; one per connection, open as long as the connection is.

    A new cursor would bring a new adaptation context, which looks up how to send each type of
    parameter again; kept, it knows them from the statement before (when the statement is the
    same string, as the cached ones here are)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # noqa: ANN001, ANN201
        return super().execute(query, params, prepare=True, binary=binary)

    def close(self) -> None:
        # Django's wrapper closes its cursor after each use; this one stays for the next.
        self._reset(reset_query=False)


_ONLY_WHEN_ASKED = sys.maxsize


def prepared_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor whose statements PostgreSQL parses and plans once per connection: parameters
    bound on the server, statements prepared. (Django's cursors bind on the client and prepare
    nothing, which suits a connection pooler; a statement run hundreds of times a second on a
    persistent connection is the exception.) Django's wrapper stays around it: errors, execute
    wrappers, logging. Elsewhere than on PostgreSQL, an ordinary cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()  # as connection.cursor() does
    connection.ensure_connection()
    raw = getattr(connection, "_picketline_prepared_cursor", None)
    if raw is None or raw.connection is not connection.connection:
        if connection.connection.prepare_threshold is None:
            # Django opens every connection with psycopg's preparing switched off
            # (prepare_threshold=None), and then psycopg ignores execute(prepare=True) too.
            # Django's own cursors bind on the client and never prepare, whatever the
            # threshold: with one no count is ever reached, only what asks is prepared.
            connection.connection.prepare_threshold = _ONLY_WHEN_ASKED
        raw = connection._picketline_prepared_cursor = _PreparedPsycopgCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _cast_type(field: Field, connection) -> str:
    # Text goes as text (assigning it to varchar(n) still checks the length; a cast would
    # cut it); everything else as its column's own type.
    if field.get_internal_type() in ("CharField", "TextField", "EmailField", "SlugField"):
        return "text"
    return field.db_type(connection)
