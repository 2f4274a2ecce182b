"""Partner consents given before partners were records: each free-text name becomes the
partner of that name, and a name no partner has becomes an inactive partner of its own."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from picketline.partners.models import Partner
from picketline.supporters.models import Consent


@pytest.mark.django_db(transaction=True)
def test_free_text_partner_names_become_partner_records():
    before = [("supporters", "0007_anonymous_count"), ("partners", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPartner = old.get_model("partners", "Partner")
    OldPartner.objects.create(name="ITUC", slug="ituc", active=True)
    wording = old.get_model("supporters", "ConsentWording").objects.create(
        text="Give my name to a partner", language="en", sha256="0" * 64
    )
    OldConsent = old.get_model("supporters", "Consent")
    for name in ("ITUC", " ituc ", "Libereco", ""):
        OldConsent.objects.create(
            purpose="partner_updates" if name else "organiser_updates",
            partner=name,
            wording=wording,
            language="en",
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    ituc = Partner.objects.get(slug="ituc")
    libereco = Partner.objects.get(name="Libereco")
    assert not libereco.active and libereco.frame_ancestors() == []
    partners = sorted(
        (consent.partner.name if consent.partner else "") for consent in Consent.objects.all()
    )
    assert partners == ["", "ITUC", "ITUC", "Libereco"]
    assert Consent.objects.filter(partner=ituc).count() == 2
