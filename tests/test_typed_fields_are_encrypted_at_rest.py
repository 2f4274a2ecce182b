"""Every field a supporter types or their browser sends is encrypted at rest, bound to its column.

Each test posts a public form as a supporter would, then reads the tables it wrote with a raw
cursor (what a dump, a backup or a stolen disk shows) and finds none of the typed values there,
while the site still reads them back. The organisation's name, country, kind and size in an
endorsement stay in clear on purpose (docs/architecture.md, "Personal data at rest") and are not typed values here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Model
from django.urls import reverse

from picketline.events.models import HostedAction, HostedReport, Registration
from picketline.letters.models import LetterAction
from picketline.lib.crypto import DecryptionError
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage
from picketline.supporters.models import Consent, Supporter
from picketline.web.fields import key_ring
from tests.events.helpers import link_in, messages_to, online_meeting
from tests.fixtures.media import use_media_folders
from tests.letters.helpers import embassy_action, target
from tests.letters.helpers import form_data as letter_form

pytestmark = pytest.mark.django_db

# Long values are looked for anywhere in a cell; short ones (a country code) as a whole cell, as
# a few letters can occur by chance inside base64.
SHORT = 5


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    use_media_folders(settings, tmp_path)


def raw_cells(*models: type[Model]) -> list[str]:
    """Every value of every column of the models' tables, as the database holds it."""
    cells = []
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            cells.extend(str(value) for row in cursor.fetchall() for value in row)
    return cells


def assert_none_stored_in_clear(typed: dict[str, str], *models: type[Model]) -> None:
    cells = raw_cells(*models)
    assert cells, "the form stored nothing"
    for field, value in typed.items():
        value = value.strip()
        if len(value) < SHORT:
            found = [cell for cell in cells if cell.strip().lower() == value.lower()]
        else:
            found = [cell for cell in cells if value.lower() in cell.lower()]
        assert not found, f"{field!r} is stored in clear: {found[:1]}"


SUPPORTER_TABLES = (Supporter, Consent)


def test_a_video_link_its_text_and_hashtags_are_encrypted(client):
    typed = {
        "name": "Ana Videomaker",
        "email": "ana.video@example.org",
        "country": "Germany",
        "text": "Free the union leaders of Hrodna Azot!",
        "hashtags": "#FreeThemAll",
        "link": "https://videos.example.net/@ana_private/watch/abc123",
    }
    response = client.post(
        "/en/submit/video/",
        {**typed, "language": "en", "display_name": "first_country", "face_voice": "on"},
    )
    assert response.status_code == 302
    video = VideoMessage.objects.get()
    assert (video.link, video.text, video.hashtags) == (
        typed["link"],
        typed["text"],
        typed["hashtags"],
    )
    assert_none_stored_in_clear(typed, VideoMessage, *SUPPORTER_TABLES)


def test_an_endorsements_statement_website_and_contact_are_encrypted(client):
    typed = {
        "name": "Private Contactperson",
        "email": "contact@union.example",
        "statement": "We stand with our jailed colleagues in Salihorsk.",
        "contact_role": "International secretary",
        "org_website": "https://union.example/solidarity",
    }
    response = client.post(
        "/en/submit/endorse/",
        {
            **typed,
            "language": "en",
            "organisation": "Example Metalworkers",
            "org_country": "Germany",
            "kind": "union",
            "members": "12000",
        },
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.statement == typed["statement"]
    assert endorsement.website == typed["org_website"]
    assert_none_stored_in_clear(typed, Endorsement, *SUPPORTER_TABLES)


def test_every_field_of_an_action_report_is_encrypted(client):
    typed = {
        "name": "Private Reporter",
        "email": "reporter@example.org",
        "report_country": "Netherlands",
        "title": "Meeting with a fertiliser importer",
        "text": "We asked Mr Jansen of the purchasing team about forced labour.",
        "group_name": "Solidarity group Utrecht",
        "company": "Example Potash Unknown BV",
        "business_partner": "Example Agro Import",
        "outcome": "They promised an audit by June.",
    }
    response = client.post(
        "/en/submit/report/",
        {**typed, "language": "en", "kind": "due_diligence", "happened_on": "2024-04-18"},
    )
    assert response.status_code == 302
    report = ActionReport.objects.get()
    # A country's name is taken and kept as its code.
    assert (report.title, report.country, report.company_name) == (
        typed["title"],
        "NL",
        typed["company"],
    )
    assert_none_stored_in_clear(typed, ActionReport, *SUPPORTER_TABLES)


def test_a_hosted_action_its_place_coordinates_and_report_are_encrypted(client):
    typed = {
        "title": "Picket at the Belarusian embassy in Warsaw",
        "description": "Bring a sign; Tomasz brings the banner.",
        "city": "Warsaw",
        "place": "In front of the embassy, ul. Wiertnicza 58",
        "contact": "Signal: +48 600 000 000",
        "name": "Kasia Host",
        "email": "kasia@example.org",
    }
    untyped = {
        "starts_at": "2030-04-19T12:00",
        "ends_at": "2030-04-19T13:00",
        "expected_size": "25",
        "language": "en",
        "website": "",
    }
    response = client.post("/en/events/hosted/propose/", {**typed, **untyped})
    assert response.status_code == 302
    action = HostedAction.objects.get()
    assert (action.country, action.place, str(action.latitude)) == ("PL", typed["place"], "52.23")
    # What the city gave (its point on the map, its time zone) is encrypted like the rest.
    assert_none_stored_in_clear(
        {**typed, "latitude": "52.23", "longitude": "21.01", "time_zone": "Europe/Warsaw"},
        HostedAction,
    )

    action.confirm()
    action.approve()
    (mail,) = messages_to("kasia@example.org", "hosted-action-approved")
    report_text = "We stood for an hour in the rain with Olga and her children."
    # A report is taken once the action has taken place.
    with time_machine.travel(action.ends_at + timedelta(hours=1)):
        response = client.post(
            link_in(mail, "/events/hosted/report/"), {"participants": "31", "text": report_text}
        )
    assert response.status_code == 200
    assert HostedReport.objects.get().text == report_text
    assert_none_stored_in_clear({"text": report_text}, HostedReport)


def test_a_registrants_answers_and_browser_time_zone_are_encrypted(client):
    online_meeting()
    typed = {
        "name": "Ana Registrant",
        "email": "ana.registrant@example.org",
        "country": "Lithuania",
        "organisation": "IG Metall",
        "interpretation_needs": "into Russian",
        "accessibility_needs": "captions",
        "time_zone": "America/New_York",
    }
    response = client.post("/en/events/meeting/", {**typed, "language": "ru", "website": ""})
    assert response.status_code == 302
    assert Registration.objects.get().time_zone == "America/New_York"
    assert_none_stored_in_clear(typed, Registration, *SUPPORTER_TABLES)


def test_a_dangerous_country_given_after_confirming_is_encrypted_too(client):
    from picketline.supporters.models import DangerousCountry

    DangerousCountry.objects.create(code="BY")
    supporter, _ = Supporter.get_or_create_for_email("olga@example.org", country="DE")
    supporter.mark_confirmed()
    typed = {"name": "Olga", "email": "olga@example.org", "country": "BY"}
    response = client.post(
        "/en/me/keep-me-informed/",
        {
            **typed,
            "language": "en",
            "consent_organiser_updates": "on",
            "safety_acknowledged": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    # Remembered beside the confirmed row's own country, which does not change.
    supporter.refresh_from_db()
    assert (supporter.country, supporter.gave_dangerous_country) == ("DE", "BY")
    assert_none_stored_in_clear({**typed, "its country": "DE"}, *SUPPORTER_TABLES)


def test_a_letter_writers_country_and_words_are_encrypted(client):
    target("Embassy of Belarus in Germany", "DE", emails=["embassy.de@example.org"])
    action = embassy_action(edit_policy=LetterAction.EditPolicy.PARAGRAPH)
    typed = {
        "name": "Anna Schmidt",
        "email": "anna@example.net",
        "country": "DE",
        "organisation": "ver.di Bezirk Hamburg",
        "role": "shop steward",
        "personal_paragraph": "My father was a miner in Soligorsk.",
    }
    url = reverse("letters:action", kwargs={"slug": action.slug})
    assert client.post(url, letter_form(**typed)).status_code == 302
    letter = action.letters.get()
    assert (letter.country, letter.personal_paragraph) == ("DE", typed["personal_paragraph"])
    assert_none_stored_in_clear(typed, type(letter), *SUPPORTER_TABLES)


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    report_text = "Names a third party: Ivan Petrov"
    supporter, _ = Supporter.get_or_create_for_email("mover@example.org", name="Mover")
    video = VideoMessage.objects.create(supporter=supporter, text=report_text, link="")
    table = connection.ops.quote_name(VideoMessage._meta.db_table)
    with connection.cursor() as cursor:
        # Into another column of the same row: the hashtags now hold the text's ciphertext.
        cursor.execute(
            f"UPDATE {table} SET hashtags = text WHERE id = %s",  # noqa: S608
            [video.pk],
        )
    with pytest.raises(DecryptionError, match="submissions_videomessage.hashtags"):
        VideoMessage.objects.get(pk=video.pk)

    # Into the same column name of another table: a report's text.
    moved = raw_cells_of(VideoMessage, "text", video.pk)
    report = ActionReport.objects.create(
        supporter=supporter, kind="picket", country="PL", happened_on="2024-04-18", title="T"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(ActionReport._meta.db_table)} "  # noqa: S608
            "SET text = %s WHERE id = %s",
            [moved, report.pk],
        )
    with pytest.raises(DecryptionError, match="moved from another column"):
        ActionReport.objects.get(pk=report.pk)


def raw_cells_of(model: type[Model], column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} "  # noqa: S608
            f"FROM {connection.ops.quote_name(model._meta.db_table)} WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def test_a_value_written_before_binding_still_reads_and_rotation_binds_it(settings):
    from django.core.management import call_command

    supporter, _ = Supporter.get_or_create_for_email("old@example.org", name="Old")
    report = ActionReport.objects.create(
        supporter=supporter, kind="picket", country="PL", happened_on="2024-04-18", title="T"
    )
    old_format = key_ring().encrypt("Written by an older release")  # no associated data
    table = connection.ops.quote_name(ActionReport._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET text = %s WHERE id = %s",  # noqa: S608
            [old_format, report.pk],
        )
    assert ActionReport.objects.get(pk=report.pk).text == "Written by an older release"

    call_command("rotate_keys", verbosity=0)
    rewritten = raw_cells_of(ActionReport, "text", report.pk)
    assert rewritten != old_format and key_ring().is_bound(rewritten)
    assert ActionReport.objects.get(pk=report.pk).text == "Written by an older release"


# What a supporter fills in that is kept in clear, by the policy's words for it ("How we keep
# it"): dates and numbers, what is chosen from a list, and what is given to be published.
KEPT_IN_CLEAR = {
    "dates and numbers": {
        ("events", "hostedaction"): {"starts_at", "ends_at", "expected_size"},
        ("events", "hostedreport"): {"participants"},
        ("submissions", "actionreport"): {"happened_on"},
        ("letters", "reply"): {"received_on"},
    },
    "chosen from a list": {
        ("supporters", "supporter"): {"language"},
        ("supporters", "subscription"): {"language"},
        ("letters", "letter"): {"language", "send_copy"},
        ("events", "registration"): {"language"},
        ("events", "hostedaction"): {"language"},
        ("submissions", "actionreport"): {"language", "kind"},
        ("submissions", "endorsement"): {"language", "kind"},
        ("submissions", "videomessage"): {"language", "captions_language"},
        ("letters", "reply"): {"answer"},
    },
    "given to be published": {
        ("submissions", "endorsement"): {"organisation", "country", "members"},
        ("submissions", "videomessage"): {"display_name"},
    },
}
# Plain columns nobody types: times the site records, states, tokens, files' names, counts.
WRITTEN_BY_THE_SITE = {
    "created_at", "confirmed_at", "confirmation_mails_sent", "source", "status", "decided_at",
    "public_token", "email_index", "link_nonce", "reply_asked_at", "deliveries_written_at",
    "seat", "seated_at", "waitlisted_at", "offered_at", "offer_expires_at", "cancelled_at",
    "checked_in_at", "rejection_reason", "submitted_at", "moderated_at", "logo", "original",
    "original_deleted_at", "video", "poster", "processing", "processed_at", "duration", "width",
    "height", "written_at", "recipients", "image", "file", "position", "document",
    "processing_since", "processing_attempts", "processing_error", "processing_retry_at",
    "name_given_at", "country_given_at",
}  # fmt: skip
# Every kind of row a supporter's form or link writes.
SUPPORTERS_ROWS = [
    ("supporters", "supporter"), ("supporters", "subscription"), ("letters", "letter"),
    ("events", "registration"), ("events", "hostedaction"), ("events", "hostedreport"),
    ("events", "reportphoto"), ("events", "hostmessage"), ("submissions", "videomessage"),
    ("submissions", "endorsement"), ("submissions", "actionreport"),
    ("submissions", "reportphoto"), ("letters", "reply"),
]  # fmt: skip
POLICY_SAYS = {
    "en": "In clear we keep only dates and numbers (when an action takes place, how many took "
    "part), what you choose from a list, and what you give us to publish: an endorsing "
    "organisation's name, country and size, the name shown with your video",
    "ru": "Открыто мы храним только даты и числа",
    "be": "Адкрыта мы захоўваем толькі даты і лікі",
    "de": "Unverschlüsselt behalten wir nur Daten und Zahlen",
}


def test_what_is_kept_in_clear_is_what_the_policy_names():
    """Every column of a supporter's rows that is not encrypted is either written by the site
    or one the policy names; a new one fails here until the policy says so."""
    from django.apps import apps

    from picketline.campaigns.legal_demo import PRIVACY
    from picketline.web.fields import EncryptedTextField

    named: dict[tuple[str, str], set[str]] = {}
    for fields in KEPT_IN_CLEAR.values():
        for model, names in fields.items():
            named.setdefault(model, set()).update(names)
    for label in SUPPORTERS_ROWS:
        model = apps.get_model(*label)
        plain = {
            field.name
            for field in model._meta.concrete_fields
            if not field.is_relation
            and not field.primary_key
            and not isinstance(field, EncryptedTextField)
            and not type(field).__name__.startswith("Encrypted")
        }
        assert plain - WRITTEN_BY_THE_SITE == named.get(label, set()), label
    for language, words in POLICY_SAYS.items():
        assert words in PRIVACY[language], language
