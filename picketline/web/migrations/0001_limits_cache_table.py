"""The table of the database cache that holds rate-limit counters (``web.limits``) when no
REDIS_URL is set. ``createcachetable`` makes every database cache table settings name and
skips those that exist, so running it again is harmless."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
