"""Django's admin log named objects by ``str(obj)``: a hosted action or a report by the title
its supporter typed, in clear, out of erasure's reach. Entries written before
``web.admin_log.NeutralAdminLog`` are renamed to what it writes now, "<kind> #<number>", and
the inline rows their change messages name lose their names.

The models and their names are written out here as they were when this ran (a migration does
not read today's code); ``tests/accounts/test_admin_log_holds_nothing_typed.py`` checks that
they match ``neutral_repr``.
"""

import json

from django.db import migrations, models
from django.db.models.functions import Concat

NEUTRAL_NAMES = {
    ("mail", "outgoingmessage"): "Outgoing message",
    ("mail", "mailboxmessage"): "Message in the local mailbox",
    ("supporters", "supporter"): "Supporter",
    ("supporters", "partnercontact"): "Partner contact",
    ("letters", "letter"): "Letter",
    ("letters", "reply"): "Reply",
    ("events", "hostedaction"): "Supporter-hosted action",
    ("events", "hostedreport"): "Report from a hosted action",
    ("events", "reportphoto"): "Photo",
    ("events", "registration"): "Registration",
    ("events", "hostmessage"): "Host's message to those who signed up",
    ("submissions", "videomessage"): "Video message",
    ("submissions", "endorsement"): "Endorsement",
    ("submissions", "actionreport"): "Action report",
    ("submissions", "reportphoto"): "Photo",
    ("submissions", "decision"): "Moderation decision",
}


def without_inline_names(change_message: str) -> str:
    try:
        parts = json.loads(change_message)
    except ValueError:
        return change_message  # a plain message of Django's own, never an object's name
    if not isinstance(parts, list):
        return change_message
    for part in parts:
        for detail in part.values() if isinstance(part, dict) else []:
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = ""
    return json.dumps(parts)


def rename_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    for (app_label, model), name in NEUTRAL_NAMES.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        entries = LogEntry.objects.filter(content_type=content_type)
        entries.update(
            object_repr=Concat(
                models.Value(f"{name} #"), "object_id", output_field=models.TextField()
            )
        )
        named = entries.filter(change_message__contains='"object"')
        for pk, message in list(named.values_list("pk", "change_message")):
            LogEntry.objects.filter(pk=pk).update(change_message=without_inline_names(message))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_alter_auditentry_action"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rename_entries, migrations.RunPython.noop)]
