"""Queued mail names its composer by a registered name, no longer by a Python path."""

from django.db import migrations

RENAMED = {"picketline.supporters.flow.compose_confirmation": "confirmation"}


def to_names(apps, schema_editor):
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    for path, name in RENAMED.items():
        OutgoingMessage.objects.filter(compose_with=path).update(compose_with=name)


def to_paths(apps, schema_editor):
    OutgoingMessage = apps.get_model("mail", "OutgoingMessage")
    for path, name in RENAMED.items():
        OutgoingMessage.objects.filter(compose_with=name).update(compose_with=path)


class Migration(migrations.Migration):
    dependencies = [("mail", "0005_partial_indexes")]
    operations = [migrations.RunPython(to_names, to_paths)]
