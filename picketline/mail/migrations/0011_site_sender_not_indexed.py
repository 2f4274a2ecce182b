"""The site's own sending address is no longer indexed as an address a message concerns
(``OutgoingMessage.indexes_of_addresses``): its rows go. The reverse writes nothing back (the
rows would only make a supporter who gave that address see the whole outbox as theirs)."""

from django.db import migrations


def drop_site_sender_rows(apps, schema_editor):
    from picketline.mail.models import site_sender_address
    from picketline.web.fields import email_index

    address = site_sender_address()
    if address:
        MessageAddress = apps.get_model("mail", "MessageAddress")
        MessageAddress.objects.filter(address_index=email_index(address)).delete()


class Migration(migrations.Migration):
    dependencies = [("mail", "0010_labels_in_the_organisers_language")]

    operations = [migrations.RunPython(drop_site_sender_rows, migrations.RunPython.noop)]
