"""Every form that takes a new action stores it through ``flow.take_new_action``: a new address
and a known one run the same SQL statements (so the time a form takes tells nothing about the
address), and no form needs a second write to count its first confirmation mail.

The letter form has its own, fuller test in ``tests/letters/test_one_write_path.py``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Supporter
from tests.events.helpers import online_meeting
from tests.fixtures.media import use_media_folders
from tests.submissions.helpers import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class ActionForm:
    url: str
    fields: dict[str, Any]
    files: Callable[[], dict[str, Any]] = dict
    prepare: Callable[[], None] = _nothing
    as_json: bool = False
    accepted: int = 302
    extra_inserts: list[str] = field(default_factory=list)


def _png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


FORMS = {
    "keep-me-informed": ActionForm(
        "/en/me/keep-me-informed/",
        {"name": "Ana Example", "language": "en", "consent_organiser_updates": "on"},
    ),
    "event registration": ActionForm(
        "/en/events/meeting/",
        {
            "name": "Ana Example",
            "country": "Germany",
            "language": "en",
            "organisation": "IG Metall",
            "interpretation_needs": "into Russian",
            "accessibility_needs": "captions",
            "time_zone": "Europe/Berlin",
            "consent_organiser_updates": "on",
        },
        prepare=online_meeting,
    ),
    "hosted action": ActionForm(
        "/en/events/hosted/propose/",
        {
            "title": "Picket at the embassy in Warsaw",
            "description": "Bring a sign.",
            "city": "Warsaw",
            "place": "In front of the embassy",
            "starts_at": "2030-04-19T12:00",
            "ends_at": "2030-04-19T13:00",
            "expected_size": "25",
            "contact": "Signal: +48 600 000 000",
            "name": "Kasia Host",
            "language": "en",
        },
    ),
    "video message": ActionForm(
        "/en/submit/video/",
        {
            "name": "Ana Example",
            "country": "Germany",
            "language": "en",
            "link": "https://videos.example.net/w/abc",
            "hashtags": "#FreeThem",
            "display_name": "first_country",
            "face_voice": "on",
            "consent_organiser_updates": "on",
        },
    ),
    "endorsement": ActionForm(
        "/en/submit/endorse/",
        {
            "name": "Private Contactperson",
            "language": "en",
            "organisation": "Example Metalworkers",
            "org_country": "Germany",
            "kind": "union",
            "members": "12000",
            "statement": "We stand with our jailed colleagues.",
            "contact_role": "International secretary",
        },
        files=lambda: {"logo": _png("logo.png")},
    ),
    "action report": ActionForm(
        "/en/submit/report/",
        {
            "name": "Private Reporter",
            "language": "en",
            "kind": "picket",
            "report_country": "Netherlands",
            "happened_on": "2024-04-18",
            "title": "A picket at the importer",
            "text": "We stood outside for an hour.",
            "outcome": "They took our letter.",
        },
        files=lambda: {"photos": [_png("one.png"), _png("two.png")]},
        extra_inserts=["submissions_reportphoto"] * 2,
    ),
    "endorsement through the API": ActionForm(
        "/api/v1/endorsements",
        {
            "name": "Kari Nordmann",
            "organisation": "Fagforbundet avd. 1",
            "org_country": "Norway",
            "kind": "union",
            "members": 1200,
            "statement": "Free them.",
        },
        as_json=True,
        accepted=202,
    ),
}


@pytest.fixture(params=list(FORMS), ids=list(FORMS))
def form(request, settings, tmp_path) -> ActionForm:
    use_media_folders(settings, tmp_path)
    chosen = FORMS[request.param]
    chosen.prepare()
    return chosen


def send(form: ActionForm, email: str, **changes: str) -> None:
    data = {**form.fields, "email": email, **changes}
    if form.as_json:
        response = Client().post(form.url, json.dumps(data), content_type="application/json")
    else:
        response = Client().post(form.url, {**data, **form.files()})
    assert response.status_code == form.accepted, response.content[:2000]


def statements_of(form: ActionForm, email: str, **changes: str) -> list[str]:
    """The shapes of the SQL statements one submission runs: literals, numbers and savepoint
    names blanked."""
    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        send(form, email, **changes)
    return [re.sub(r"'[^']*'|\bs\d+_x\d+\b|\b\d+\b", "?", sql) for sql in statements]


def test_a_new_and_a_known_address_run_the_same_statements(form):
    send(form, "first@example.net")  # the consent wordings' first use
    Supporter.get_or_create_for_email("known@example.net", name="Known Before")

    new = statements_of(form, "new@example.net")
    known = statements_of(form, "known@example.net", name="Someone Else")

    assert new == known
    assert Supporter.objects.count() == 3
    assert Supporter.objects.for_email("known@example.net").name == "Known Before"
    assert OutgoingMessage.objects.filter(kind="confirmation").count() == 3
    inserts = [sql for sql in new if sql.startswith("INSERT")]
    # the supporter, the action, its confirmation mail, and whatever belongs to the action
    assert len(inserts) >= 3 + len(form.extra_inserts)
    for table in form.extra_inserts:
        assert sum(table in sql for sql in inserts) == form.extra_inserts.count(table)
    # the first mail is counted as the action is inserted, not by a second write
    assert not [sql for sql in new if sql.startswith("UPDATE") and "confirmation_mails" in sql]
