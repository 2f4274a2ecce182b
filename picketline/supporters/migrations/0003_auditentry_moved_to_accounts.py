# The audit log is the accounts app's now (accounts 0001 takes over the model and its content
# type). The table is left where it is: this only removes the model from our state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supporters", "0002_fewer_indexes"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
