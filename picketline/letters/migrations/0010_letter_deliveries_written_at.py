from django.db import migrations, models


def mark_confirmed_letters_written(apps, schema_editor):
    # Until now a letter's deliveries were written as it was confirmed.
    Letter = apps.get_model("letters", "Letter")
    Letter.objects.filter(confirmed_at__isnull=False).update(
        deliveries_written_at=models.F("confirmed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0009_letter_partner_letter_source"),
        ("partners", "0002_partner_link_codes"),
        ("supporters", "0010_partner_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="deliveries_written_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_confirmed_letters_written, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(
                condition=models.Q(
                    ("confirmed_at__isnull", False), ("deliveries_written_at__isnull", True)
                ),
                fields=["confirmed_at"],
                name="letters_letter_to_write",
            ),
        ),
    ]
