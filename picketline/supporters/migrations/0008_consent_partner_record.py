"""A partner's consent names a ``partners.Partner`` instead of free text.

Each name written so far becomes the partner of that name (compared without case or outer
spaces); a name no partner has becomes a new, inactive partner of that name, with no origins
and no staff: the consent was given to that organisation and keeps naming it, and an organiser
can complete the record (or merge it) in the admin. Going back writes the names again."""

from django.db import migrations, models
from django.db.models.deletion import PROTECT
from django.utils.text import slugify


def names_to_partners(apps, schema_editor):
    Consent = apps.get_model("supporters", "Consent")
    Partner = apps.get_model("partners", "Partner")
    by_name = {p.name.strip().casefold(): p for p in Partner.objects.all()}
    slugs = set(Partner.objects.values_list("slug", flat=True))
    names = (
        Consent.objects.exclude(partner_name="")
        .values_list("partner_name", flat=True)
        .distinct()
    )
    for name in names:
        key = name.strip().casefold()
        partner = by_name.get(key)
        if partner is None:
            base = slugify(name)[:30] or "partner"
            slug, number = base, 1
            while slug in slugs:
                number += 1
                slug = f"{base}-{number}"
            slugs.add(slug)
            partner = Partner.objects.create(name=name.strip()[:200], slug=slug, active=False)
            by_name[key] = partner
        Consent.objects.filter(partner_name=name).update(partner=partner)


def partners_to_names(apps, schema_editor):
    Consent = apps.get_model("supporters", "Consent")
    for consent in Consent.objects.filter(partner__isnull=False).select_related("partner"):
        Consent.objects.filter(pk=consent.pk).update(partner_name=consent.partner.name)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("supporters", "0007_anonymous_count"),
    ]

    operations = [
        migrations.RenameField("consent", "partner", "partner_name"),
        migrations.AddField(
            model_name="consent",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=PROTECT,
                related_name="consents",
                to="partners.partner",
                verbose_name="partner",
            ),
        ),
        migrations.RunPython(names_to_partners, partners_to_names),
        migrations.RemoveField("consent", "partner_name"),
    ]
