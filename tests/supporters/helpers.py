"""Small builders for supporter tests."""

from __future__ import annotations

import re

from django.db import connection

from picketline.supporters.models import Consent, Subscription, Supporter

LINK = re.compile(r"https?://\S+")


def subscribe(email: str = "ana@example.org", name: str = "Ana Example", language: str = "en"):
    supporter, _ = Supporter.get_or_create_for_email(email, name=name, language=language)
    subscription = Subscription.objects.create(supporter=supporter, language=language)
    Consent.record(
        supporter,
        Consent.Purpose.ORGANISER_UPDATES,
        "Keep me informed",
        language,
        "/en/me/keep-me-informed/",
        action=subscription,
    )
    return supporter, subscription


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def database_text() -> str:
    """Every text value in every table, as a dump or backup would show it."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the DB
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    chunks.append(str(value))
    return "\n".join(chunks)


def decrypted_text() -> str:
    """Every encrypted value in every table, decrypted: what the site itself could still read."""
    from picketline.supporters.keys import encrypted_columns

    chunks: list[str] = []
    for model, fields in encrypted_columns():
        names = [f.name for f in fields]
        for values in model._base_manager.values_list(*names):
            chunks.extend(str(v) for v in values if v)
    return "\n".join(chunks)
