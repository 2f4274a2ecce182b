"""The audit log moved from the supporters app to accounts: a database that has it keeps its
rows, its table and the permissions granted on it."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from picketline.accounts.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_an_audit_log_from_before_the_move_keeps_its_rows_and_permissions():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", None)])  # back to where supporters owned the model
    old = executor.loader.project_state(("supporters", "0002_fewer_indexes")).apps
    old.get_model("supporters", "AuditEntry").objects.create(
        username="orga", action="export", what="supporters.supporter 3"
    )
    ContentType.objects.clear_cache()
    old_type = ContentType.objects.get(app_label="supporters", model="auditentry")
    group = Group.objects.create(name="auditors")
    group.permissions.add(old_type.permission_set.get(codename="view_auditentry"))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert ContentType.objects.get_for_model(AuditEntry).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="supporters", model="auditentry").exists()
    assert group.permissions.get().natural_key()[1:] == ("accounts", "auditentry")
    [entry] = AuditEntry.objects.all()
    assert (entry.username, entry.what) == ("orga", "supporters.supporter 3")
