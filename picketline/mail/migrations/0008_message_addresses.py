"""The blind indexes of a message's addresses move from a text column, which only a scan of
the whole outbox could search, into rows of their own with an index; and sent mail is indexed
by when it went, for its purge."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def rows_from_column(apps, schema_editor):
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    MessageAddress = apps.get_model("mail", "MessageAddress")
    last = 0
    while True:
        batch = list(
            OutgoingMessage.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "address_indexes")[:BATCH]
        )
        if not batch:
            return
        MessageAddress.objects.bulk_create(
            [
                MessageAddress(message_id=pk, address_index=index)
                for pk, indexes in batch
                for index in indexes.split()
            ]
        )
        last = batch[-1][0]


def column_from_rows(apps, schema_editor):
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    MessageAddress = apps.get_model("mail", "MessageAddress")
    by_message: dict[int, list[str]] = {}
    for message_id, index in MessageAddress.objects.values_list("message_id", "address_index"):
        by_message.setdefault(message_id, []).append(index)
    for message_id, indexes in by_message.items():
        OutgoingMessage.objects.filter(pk=message_id).update(
            address_indexes=f" {' '.join(sorted(indexes))} "
        )


class Migration(migrations.Migration):
    dependencies = [("mail", "0007_outgoing_address_indexes")]

    operations = [
        migrations.CreateModel(
            name="MessageAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address_index", models.CharField(max_length=64)),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="mail.outgoingmessage",
                    ),
                ),
            ],
            options={
                "verbose_name": "address of a message",
                "verbose_name_plural": "addresses of messages",
                "indexes": [models.Index(fields=["address_index"], name="mail_message_address")],
            },
        ),
        migrations.RunPython(rows_from_column, column_from_rows),
        migrations.RemoveField(model_name="outgoingmessage", name="address_indexes"),
        migrations.AddIndex(
            model_name="outgoingmessage",
            index=models.Index(
                condition=models.Q(("status", "sent")),
                fields=["sent_at"],
                name="mail_outgoing_sent",
            ),
        ),
    ]
