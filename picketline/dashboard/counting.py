"""Keeping the daily counts: a request appends what it did, the worker adds it up.

``supporters`` calls the registered tally (``supporters.tally``) inside the transaction that
stores or confirms an action, so a count is written with the action or not at all. The tally
appends one ``PendingCount`` row per action (two for a supporter's first confirmation): one
plain INSERT, which locks no row another request needs. ``fold()`` adds the pending rows to
``DailyCount``, where an action is counted under one row per dimension
(``models.DIMENSIONS``), in one multi-row ``INSERT … ON CONFLICT … DO UPDATE`` per batch (the
same on SQLite and PostgreSQL), and deletes them in the same transaction: the worker folds
every few seconds, and the dashboard folds a batch before it reads, so what it shows is up to
date but for a batch another fold holds at that moment. A pending row names no person, but it
holds one action's day, kind, action, country, language, partner and source together, which
the folded counts keep apart: it lives seconds while the worker runs (``/readyz`` tells a
worker that stopped).

``rebuild()`` (``picketline rebuild_counts``) counts again from the rows kept: actions that
were rejected or expired unconfirmed are gone, so it gives fewer "submitted" than were kept
live; an erased supporter's actions count under no country. It reads every action before it
replaces the counts, so it runs while no form is taken (during an upgrade, the site stopped):
an action confirmed in between would be counted twice or not at all.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from picketline.dashboard.models import DIMENSIONS, NEW_SUPPORTERS, DailyCount, PendingCount
from picketline.supporters import tally
from picketline.supporters.models import ConfirmableAction, Supporter, action_models
from picketline.web.countries import is_country

# day, kind, action_key, country, language, partner_id, source
Key = tuple[date, str, str, str, str, int, str]
# dimension, day, kind, value: one row of DailyCount
Row = tuple[str, date, str, str]


def _day(moment: datetime) -> date:
    """The site's day (``TIME_ZONE``), whatever zone a request may have activated."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def action_key(action: ConfirmableAction, moment: datetime) -> Key:
    """What a count of ``action`` is kept under, on the day of ``moment``."""
    return (
        _day(moment),
        action._meta.label_lower,
        action.counted_key()[:20],
        action.counted_country(),
        (action.language or "")[:8],
        int(getattr(action, "partner_id", None) or 0),
        str(getattr(action, "source", "") or "")[:40],
    )


def supporter_key(supporter: Supporter) -> Key:
    """What a new supporter is counted under: the day they first confirmed, their own country
    and language. Under no partner or source: ``rebuild()`` could not tell which action
    brought them, and the counts kept live must be the counts it finds."""
    country = (supporter.country or "").strip().upper()
    return (
        _day(supporter.confirmed_at),
        NEW_SUPPORTERS,
        "",
        country if is_country(country) else "",
        (supporter.language or "")[:8],
        0,
        "",
    )


def rows_of(key: Key) -> list[Row]:
    """The rows an action counted under ``key`` adds to, one per dimension."""
    day, kind, action, country, language, partner_id, source = key
    values = ("", action, country, language, str(partner_id) if partner_id else "", source)
    return [
        (dimension, day, kind, value) for dimension, value in zip(DIMENSIONS, values, strict=True)
    ]


def by_row(counts: Iterable[tuple[Key, tuple[int, int]]]) -> dict[Row, list[int]]:
    """(submitted, confirmed) of each key, summed into the rows they add to."""
    rows: dict[Row, list[int]] = {}
    for key, (submitted, confirmed) in counts:
        for row in rows_of(key):
            pair = rows.setdefault(row, [0, 0])
            pair[0] += submitted
            pair[1] += confirmed
    return rows


def add(counts: dict[Key, tuple[int, int]]) -> None:
    """Add (submitted, confirmed) to the rows of each key: one statement for all of them
    (a row appears once in it, as PostgreSQL requires of ``ON CONFLICT DO UPDATE``). The rows
    go in their sorted order, so two folds at once lock them in the same order and never
    deadlock."""
    if not counts:
        return
    day_field = DailyCount._meta.get_field("day")
    days: dict[date, Any] = {}
    rows = sorted(by_row(counts.items()).items())
    with connection.cursor() as cursor:
        # A statement of at most ADD_ROWS rows: SQLite takes at most 32,766 parameters.
        for start in range(0, len(rows), ADD_ROWS):
            values: list[Any] = []
            chunk = rows[start : start + ADD_ROWS]
            for (dimension, day, kind, value), (submitted, confirmed) in chunk:
                if day not in days:
                    days[day] = day_field.get_db_prep_value(day, connection)
                values.extend([dimension, days[day], kind, value, submitted, confirmed])
            cursor.execute(_add_sql(connection.vendor, len(chunk)), values)


# Rows of DailyCount one statement adds to (six parameters each).
ADD_ROWS = 2000


@functools.lru_cache(maxsize=32)
def _add_sql(vendor: str, rows: int) -> str:
    """The text of ``add``'s statement for so many ``rows`` (an action adds to six, a
    supporter's first confirmation to twelve): made once per process and kind of database."""
    quote = connection.ops.quote_name
    table = quote(DailyCount._meta.db_table)
    key_columns = ("dimension", "day", "kind", "value")
    names = ", ".join(quote(name) for name in (*key_columns, "submitted", "confirmed"))
    key_names = ", ".join(quote(name) for name in key_columns)
    row = "(" + ", ".join(["%s"] * (len(key_columns) + 2)) + ")"
    sums = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}"
        for name in ("submitted", "confirmed")
    )
    return (
        f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * rows)} "
        f"ON CONFLICT ({key_names}) DO UPDATE SET {sums}"
    )


# PendingCount's columns, in the order of a Key's parts.
PENDING_KEY = ("day", "kind", "action", "country", "language", "partner", "source")
# Pending rows added up in one transaction.
FOLD_BATCH = 5000


def note(counts: list[tuple[Key, int, int]]) -> None:
    """Append (key, submitted, confirmed) as pending counts: one INSERT, no row locked."""
    day_field = PendingCount._meta.get_field("day")
    values: list[Any] = []
    for key, submitted, confirmed in counts:
        day, *rest = key
        values += [day_field.get_db_prep_value(day, connection), *rest, submitted, confirmed]
    with connection.cursor() as cursor:
        cursor.execute(_note_sql(connection.vendor, len(counts)), values)


@functools.lru_cache(maxsize=8)
def _note_sql(vendor: str, rows: int) -> str:
    """The text of ``note``'s statement for so many rows (one or two): made once per process
    and kind of database."""
    quote = connection.ops.quote_name
    table = quote(PendingCount._meta.db_table)
    names = ", ".join(
        quote(PendingCount._meta.get_field(name).column)
        for name in (*PENDING_KEY, "submitted", "confirmed")
    )
    row = "(" + ", ".join(["%s"] * (len(PENDING_KEY) + 2)) + ")"
    return f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * rows)}"


def fold(batch: int = FOLD_BATCH, batches: int | None = None) -> int:
    """Add every pending count (at most ``batches`` batches) to the daily counts and delete it,
    a batch per transaction; returns how many were added. Pending rows another fold holds are
    skipped (PostgreSQL), so two workers and a dashboard may fold at once and each row counts
    once."""
    folded = 0
    for done in itertools.count():
        if batches is not None and done >= batches:
            return folded
        with transaction.atomic():
            pending = list(
                PendingCount.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", *PENDING_KEY, "submitted", "confirmed")[:batch]
            )
            if not pending:
                return folded
            counts: dict[Key, tuple[int, int]] = {}
            for _pk, *key, submitted, confirmed in pending:
                before = counts.get(tuple(key), (0, 0))
                counts[tuple(key)] = (before[0] + submitted, before[1] + confirmed)
            add(counts)
            PendingCount.objects.filter(pk__in=[row[0] for row in pending]).delete()
        folded += len(pending)
        if len(pending) < batch:
            return folded


class DailyTally:
    """The dashboard's tally, told by ``supporters`` of every action stored and confirmed."""

    def submitted(self, action: ConfirmableAction) -> None:
        note([(action_key(action, action.created_at), 1, 0)])

    def confirmed(self, action: ConfirmableAction, *, first_of_supporter: bool) -> None:
        counts = [(action_key(action, action.confirmed_at), 0, 1)]
        if first_of_supporter and action.supporter is not None:
            counts.append((supporter_key(action.supporter), 0, 1))
        note(counts)


_TALLY = DailyTally()


def register() -> None:
    tally.register(_TALLY)


def counts_of_rows() -> Counter[tuple[Key, str]]:
    """Every count the rows kept today give, as ((key, "submitted" | "confirmed"), n)."""
    found: Counter[tuple[Key, str]] = Counter()
    for model in action_models():
        rows = model.objects.select_related("supporter").only(*_counted_fields(model))
        for action in _each(rows.order_by("pk")):
            found[(action_key(action, action.created_at), "submitted")] += 1
            if action.confirmed_at is not None:
                found[(action_key(action, action.confirmed_at), "confirmed")] += 1
    supporters = Supporter.objects.filter(confirmed_at__isnull=False).only(
        "country", "language", "confirmed_at"
    )
    for supporter in _each(supporters.order_by("pk")):
        found[(supporter_key(supporter), "confirmed")] += 1
    return found


def _counted_fields(model: type[ConfirmableAction]) -> list[str]:
    """What ``action_key`` reads of a row (the rest, encrypted, is not decrypted at all): a
    million actions are counted again in minutes rather than an hour."""
    names = {field.name for field in model._meta.get_fields()}
    wanted = ["created_at", "confirmed_at", "language", "supporter__country"]
    wanted += [name for name in ("country", "partner", "source") if name in names]
    if model.counted_by:
        wanted.append(model.counted_by)
    return wanted


def _each(queryset: Any) -> Iterable[Any]:
    return queryset.iterator(chunk_size=2000)


def rebuild() -> int:
    """Replace every daily count with counts of the rows kept; returns how many rows."""
    rows = by_row(
        (key, (n, 0) if column == "submitted" else (0, n))
        for (key, column), n in counts_of_rows().items()
    )
    counts = [
        DailyCount(dimension=dimension, day=day, kind=kind, value=value, submitted=s, confirmed=c)
        for (dimension, day, kind, value), (s, c) in rows.items()
    ]
    with transaction.atomic():
        # What waits to be added up is in the rows counted again.
        PendingCount.objects.all().delete()
        DailyCount.objects.all().delete()
        DailyCount.objects.bulk_create(counts, batch_size=2000)
    return len(counts)
