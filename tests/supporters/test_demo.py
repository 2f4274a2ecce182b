"""The demo: role groups, and a database dump after a demo run holds no supporter in plaintext."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from picketline.accounts.roles import ROLES
from picketline.mail.outbox import send_due
from picketline.supporters.models import Subscription, Supporter

from .helpers import database_text

pytestmark = pytest.mark.django_db

VISITORS = [
    ("olga.demo.visitor@example.org", "Zlata Kvartovskaya", "ru"),
    ("hanna.demo.visitor@example.net", "Hanna Besucherin", "de"),
    ("ales.demo.visitor@example.com", "Ales Naviedvalnik", "be"),
]


def test_a_dump_after_a_demo_run_holds_no_plaintext_address_or_name(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # twice is harmless
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLES)
    for email, name, language in VISITORS:
        response = client.post(
            f"/{language}/me/keep-me-informed/",
            {
                "email": email,
                "name": name,
                "language": language,
                "consent_organiser_updates": "on",
            },
        )
        assert response.status_code == 302
    send_due()
    assert Subscription.objects.count() == len(VISITORS)
    people = [(s.email, s.name) for s in Supporter.objects.all()]
    assert len(people) >= len(VISITORS)  # the visitors, and whoever the demo brings
    dump = database_text().lower()
    for email, name in people:
        assert email.lower() not in dump
        if name:
            assert name.lower() not in dump
    for _, name, _ in VISITORS:
        assert name.split()[-1].lower() not in dump  # the (made-up, unique) surname
