"""A host erased before erasure took their words (it blanked only the contact) is cleaned up by
a data migration: the same as erasing them now does."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps

from picketline.events.models import Event, HostedAction, HostedReport
from picketline.events.models.hosted import ReportPhoto
from picketline.mail.models import OutgoingMessage
from tests.events.helpers import hosted_action
from tests.fixtures.media import use_media_folders
from tests.submissions.helpers import png_bytes

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "picketline.events.migrations.0010_erase_what_erased_hosts_left"
)


def left_by_the_old_erasure(**fields) -> HostedAction:
    values = {
        "confirmed_at": datetime(2024, 4, 1, tzinfo=UTC),
        "title": "Lantern walk past the Quire bridge",
        "description": "Ask for Zofia at the blue kiosk",
        "country": "PL",
        "city": "Szczecinek",
        "place": "Plac Atramentowy 7",
        "contact": "",
    }
    return hosted_action(host_email=None, **(values | fields))


def test_the_migration_takes_what_erased_hosts_left(settings, tmp_path):
    use_media_folders(settings, tmp_path)
    proposed = left_by_the_old_erasure()
    event = Event.objects.create(
        slug="walk",
        title="Lantern walk",
        description="Ask for Zofia at the blue kiosk",
        starts_at=datetime(2024, 4, 19, 10, tzinfo=UTC),
        ends_at=datetime(2024, 4, 19, 11, tzinfo=UTC),
        time_zone="Europe/Warsaw",
    )
    held = left_by_the_old_erasure(status="approved", event=event)
    report = HostedReport.objects.create(hosted_action=held, participants=9, text="Zofia spoke")
    photo = Path(ReportPhoto.store(report, png_bytes()).image.path)
    OutgoingMessage.queue(
        to=["guest@example.org"],
        subject="Tomorrow",
        text="Ask for Zofia",
        kind="event-host-message",
        group=f"event-{event.pk}",
    )
    kept = left_by_the_old_erasure(confirmed_at=None, title="Unconfirmed")

    migration.erase_what_is_left(apps, None)

    proposed.refresh_from_db()
    assert proposed.status == "withdrawn" and proposed.decided_at is not None
    assert (proposed.title, proposed.description, proposed.place) == ("", "", "")
    held.refresh_from_db()
    assert held.status == "approved" and held.title == ""
    assert not HostedReport.objects.exists() and not photo.exists()
    assert not OutgoingMessage.objects.exists()
    event.refresh_from_db()
    assert event.title == "Lantern walk" and event.description == ""
    kept.refresh_from_db()
    assert kept.title == "Unconfirmed"  # unconfirmed: the retention job's, not this
