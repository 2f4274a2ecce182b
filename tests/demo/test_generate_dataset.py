"""``picketline generate_dataset``: a large dataset written with COPY that the product reads as
its own (decrypts, finds by blind index, shows on the privacy page, exports, lists)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from picketline.events.models import Registration
from picketline.letters import sending
from picketline.letters.models import Delivery, Letter
from picketline.mail.models import MessageAddress, OutgoingMessage
from picketline.submissions.models import VideoMessage
from picketline.supporters import flow
from picketline.supporters.models import Consent, Supporter
from tests.fixtures.accounts import make_staff

ROOT = Path(__file__).resolve().parent.parent.parent
TABLES = [
    model._meta.db_table
    for model in (Supporter, Letter, Registration, VideoMessage, Consent, Delivery)
] + [OutgoingMessage._meta.db_table, MessageAddress._meta.db_table]


def test_it_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "generate_dataset", "--scale", "0.0001"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "generate_dataset needs PostgreSQL" in done.stderr
    assert "Writing" not in done.stdout


def constraints() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        return {
            table: set(connection.introspection.get_constraints(cursor, table)) for table in TABLES
        }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_product_reads_what_it_writes():
    before = constraints()
    out = io.StringIO()
    call_command("generate_dataset", scale=0.0005, stdout=out)
    assert "Dataset written in" in out.getvalue()

    # Sizes as asked: 500 supporters (and the demo's), 1,500 actions, 2,500 messages.
    assert Supporter.objects.count() >= 500
    actions = Letter.objects.count() + Registration.objects.count()
    actions += VideoMessage.objects.count()
    assert actions >= 1500
    assert OutgoingMessage.objects.count() >= 2500
    assert OutgoingMessage.objects.filter(status="sent").count() > 2000
    # Every index and key is back as the migrations made it.
    assert constraints() == before
    # Every sealed value opens in its own column.
    assert all("@" in supporter.email for supporter in Supporter.objects.all())
    assert all(message.to for message in OutgoingMessage.objects.all())
    # New rows go on after the dataset's keys.
    assert Supporter.get_or_create_for_email("after@example.org")[1]
    # Its confirmed letters have their deliveries already: the worker's first sending run
    # has none to write again (nor a copy to send again).
    assert sending.write_confirmed_letters() == 0

    letter = (
        Letter.objects.filter(confirmed_at__isnull=False, deliveries__message__isnull=False)
        .select_related("supporter")
        .first()
    )
    supporter = letter.supporter
    mail = supporter.messages()
    kinds = {message.kind for message in mail}
    assert {"confirmation", "letter"} <= kinds  # found by the blind index of the address
    assert all(
        supporter.email in message.recipients() or supporter.email in message.reply_to
        for message in mail
    )

    client = Client()
    token = flow.privacy_token(supporter)
    assert client.post(reverse("supporters:privacy_open", args=[token])).status_code == 302
    page = client.get(reverse("supporters:mine"))
    assert page.status_code == 200
    assert supporter.email in page.content.decode()
    export = json.loads(client.get(reverse("supporters:export")).content)
    assert export["supporter"]["email"] == supporter.email
    assert len(export["actions"]) == len(supporter.actions()) >= 1
    assert len(export["messages"]) == len(mail)
    assert {c["purpose"] for c in export["consents"]} >= {Consent.Purpose.SEND_IN_MY_NAME}

    staff = Client()
    staff.force_login(make_staff())
    for name in (
        "admin:supporters_supporter_changelist",
        "admin:letters_letter_changelist",
        "admin:mail_outgoingmessage_changelist",
        "admin:events_registration_changelist",
    ):
        assert staff.get(reverse(name)).status_code == 200, name
