"""A person's mail is found through an indexed row per address (``MessageAddress``), written
with the message however it is written and deleted with it: never by reading the outbox."""

from __future__ import annotations

import pytest
from django.db import connection

from picketline.mail.models import MessageAddress, OutgoingMessage

pytestmark = pytest.mark.django_db


def build(to: str, **fields) -> OutgoingMessage:
    return OutgoingMessage.build(to=[to], subject="S", text="T", kind="test", **fields)


def test_messages_written_in_bulk_are_found_by_their_addresses():
    written = OutgoingMessage.objects.bulk_create(
        [build("ana@example.org", reply_to=["Bob@Example.org"]), build("carl@example.org")]
    )
    assert list(OutgoingMessage.objects.involving(["bob@example.org"])) == [written[0]]
    assert list(OutgoingMessage.objects.involving(["carl@example.org"])) == [written[1]]
    # Reply-To and To of the first; To of the second (From is the site's own address).
    assert MessageAddress.objects.count() == 3


def test_more_addresses_than_one_statement_takes_on_sqlite_are_all_indexed():
    # A letter action's deliveries: 600 messages, a row each (To; From is the site's own
    # address) of two parameters, more than one SQLite statement takes (999 parameters).
    written = OutgoingMessage.objects.bulk_create(
        [build(f"target{n}@example.org") for n in range(600)]
    )
    assert MessageAddress.objects.count() == 600
    assert list(OutgoingMessage.objects.involving(["target599@example.org"])) == [written[-1]]
    assert list(OutgoingMessage.objects.involving(["target0@example.org"])) == [written[0]]


def test_deleting_a_message_deletes_its_address_rows():
    kept = OutgoingMessage.queue(to=["kept@example.org"], subject="S", text="T", kind="test")
    gone = OutgoingMessage.queue(to=["gone@example.org"], subject="S", text="T", kind="test")
    assert OutgoingMessage.objects.involving(["gone@example.org"]).delete_with_copies() == 1
    assert set(MessageAddress.objects.values_list("message_id", flat=True)) == {kept.pk}
    assert not OutgoingMessage.objects.filter(pk=gone.pk).exists()


def test_a_save_that_leaves_the_addresses_alone_leaves_their_rows_alone(
    django_assert_num_queries,
):
    message = OutgoingMessage.queue(to=["ana@example.org"], subject="S", text="T", kind="test")
    message.status = OutgoingMessage.Status.SENT
    with django_assert_num_queries(1):  # the UPDATE of the message only
        message.save(update_fields=["status"])
    assert OutgoingMessage.objects.involving(["ana@example.org"]).get() == message


def test_the_lookup_is_an_equality_on_an_indexed_column(django_assert_num_queries):
    for i in range(30):
        OutgoingMessage.queue(to=[f"p{i}@example.org"], subject="S", text="T", kind="test")
    with django_assert_num_queries(1):
        found = list(OutgoingMessage.objects.involving(["p7@example.org", "p9@example.org"]))
    assert len(found) == 2
    with connection.cursor() as cursor:
        found_indexes = connection.introspection.get_constraints(
            cursor, MessageAddress._meta.db_table
        )
    assert any(c["index"] and c["columns"] == ["address_index"] for c in found_indexes.values())
    sql = str(OutgoingMessage.objects.involving(["p7@example.org"]).query)
    assert "LIKE" not in sql.upper()
