from email.utils import getaddresses

from django.db import migrations, models

from picketline.web.fields import email_index


def index_existing_messages(apps, schema_editor):
    """Messages already in the outbox get the blind indexes of their addresses, so that an
    erasure finds them as it finds new ones."""
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    for message in OutgoingMessage.objects.only("pk", "from_email", "to", "cc", "reply_to"):
        lines = [message.from_email, *message.to.splitlines(), *message.cc.splitlines()]
        lines += message.reply_to.splitlines()
        indexes = sorted({email_index(address) for _name, address in getaddresses(lines) if address})
        if indexes:
            OutgoingMessage.objects.filter(pk=message.pk).update(
                address_indexes=f" {' '.join(indexes)} "
            )


class Migration(migrations.Migration):
    dependencies = [("mail", "0006_composers_by_name")]

    operations = [
        migrations.AddField(
            model_name="outgoingmessage",
            name="address_indexes",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(index_existing_messages, migrations.RunPython.noop),
    ]
