"""The site's own sending address in From is no longer indexed as an address a message
concerns (``OutgoingMessage.indexes_of_addresses``): its rows go, except for messages sent to
that address. The reverse writes nothing back (the rows would only make a supporter who gave
that address see the whole outbox as theirs)."""

from django.db import migrations

BATCH = 1000


def drop_site_sender_rows(apps, schema_editor):
    from picketline.lib.crypto import normalise_email
    from picketline.mail.models import addresses_in, site_sender_address
    from picketline.web.fields import email_index

    address = site_sender_address()
    if not address:
        return
    index, site = email_index(address), normalise_email(address)
    MessageAddress = apps.get_model("mail", "MessageAddress")
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    rows = MessageAddress.objects.filter(address_index=index)
    last = 0
    while True:
        ids = list(
            rows.filter(message_id__gt=last)
            .order_by("message_id")
            .values_list("message_id", flat=True)[:BATCH]
        )
        if not ids:
            return
        only_from = []
        for message in OutgoingMessage.objects.filter(pk__in=ids).only("to", "cc", "reply_to"):
            lines = [*message.to.splitlines(), *message.cc.splitlines()]
            lines += message.reply_to.splitlines()
            if site not in {normalise_email(a) for a in addresses_in(lines)}:
                only_from.append(message.pk)
        rows.filter(message_id__in=only_from).delete()
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [("mail", "0010_labels_in_the_organisers_language")]

    operations = [migrations.RunPython(drop_site_sender_rows, migrations.RunPython.noop)]
