"""Organisers compose, preview, test, schedule, cancel and read the report of a mailing in the
admin; a preview shows one person's data and is audited; viewers and moderators may do none of
it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.mailings.models import Mailing
from tests.fixtures.accounts import make_staff
from tests.mailings.helpers import mailing, supporter

pytestmark = pytest.mark.django_db


def client_for(role: str, email: str = "olga@example.org") -> Client:
    ensure_roles()
    user = make_staff(role, superuser=False, groups=[role])
    user.email = email
    user.first_name = "Olga"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def url(name: str, made: Mailing) -> str:
    return reverse(f"admin:mailings_mailing_{name}", args=[made.pk])


def compose_form(**overrides) -> dict:
    data = {
        "title": "May news",
        "fallback_language": "en",
        "partner": "",
        "languages": ["en", "ru"],
        "took_action": "",
        "event": "",
        "rate": "1000",
        "versions-TOTAL_FORMS": "2",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        "versions-0-language": "en",
        "versions-0-subject": "News for {name}",
        "versions-0-body": "Hello {name}.",
        "versions-1-language": "ru",
        "versions-1-subject": "Новости",
        "versions-1-body": "Здравствуйте, {name}.",
    }
    data.update(overrides)
    return data


def test_an_organiser_composes_a_mailing_with_a_version_per_language():
    client = client_for(ORGANISER)

    response = client.post(reverse("admin:mailings_mailing_add"), compose_form())

    assert response.status_code == 302
    made = Mailing.objects.get()
    assert (made.state, made.languages, made.created_by) == ("draft", ["en", "ru"], ORGANISER)
    assert sorted(made.versions.values_list("language", flat=True)) == ["en", "ru"]


@pytest.mark.parametrize("role", [VIEWER, MODERATOR])
def test_viewers_and_moderators_may_neither_see_nor_send_mailings(role):
    made = mailing()
    client = client_for(role)

    assert client.get(reverse("admin:mailings_mailing_changelist")).status_code == 403
    assert client.post(reverse("admin:mailings_mailing_add"), compose_form()).status_code == 403
    for name in ("preview", "test", "schedule", "cancel", "report"):
        assert client.post(url(name, made)).status_code == 403
    made.refresh_from_db()
    assert made.state == Mailing.State.DRAFT
    assert not OutgoingMessage.objects.exists()


def test_a_preview_shows_a_real_recipients_message_and_is_audited():
    person = supporter("ana@example.org", name="Ana Example")
    made = mailing()
    client = client_for(ORGANISER)

    page = client.post(url("preview", made), {"email": "ana@example.org"}).content.decode()

    assert "News for Ana Example" in page
    assert "Hello Ana Example," in page
    assert "List-Unsubscribe-Post" in page
    assert "/en/u/preview/" in page  # a preview shows no working unsubscribe link
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.VIEW
    assert f"supporters.supporter #{person.pk}" in entry.what
    assert "ana@example.org" not in entry.what


def test_an_empty_preview_form_shows_the_first_person_in_the_audience():
    supporter("first@example.org", name="First")
    made = mailing()

    page = client_for(ORGANISER).post(url("preview", made), {"email": ""}).content.decode()

    assert "News for First" in page


def test_a_preview_needs_the_right_to_see_personal_data():
    supporter("ana@example.org", name="Ana")
    made = mailing()
    ensure_roles()
    from django.contrib.auth.models import Group, Permission

    limited = Group.objects.create(name="mailings only")
    limited.permissions.set(Permission.objects.filter(content_type__app_label="mailings"))
    user = make_staff("limited", superuser=False, groups=["mailings only"])
    client = Client()
    client.force_login(user)

    assert client.post(url("preview", made), {"email": "ana@example.org"}).status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_test_goes_to_the_organisers_own_address():
    supporter("ana@example.org")
    made = mailing()
    client = client_for(ORGANISER)

    # Whatever else the form is sent, the test goes to the sender's own address only.
    response = client.post(
        url("test", made),
        {"language": "en", "to": "relay@example.net", "email": "relay@example.net"},
    )

    assert response.status_code == 302
    while send_due(100):
        pass
    assert [m.to for m in mail.outbox] == [["olga@example.org"]]
    assert mail.outbox[0].subject == "[Test] News for Olga"
    assert AuditEntry.objects.get().action == AuditEntry.Action.SEND


def test_scheduling_is_audited_and_freezes_the_mailing():
    supporter("ana@example.org")
    made = mailing()
    client = client_for(ORGANISER)

    # A time to come (one already past is refused).
    assert client.post(url("schedule", made), {"send_at": "2099-01-01T10:00"}).status_code == 302

    made.refresh_from_db()
    assert made.state == Mailing.State.SCHEDULED
    assert made.scheduled_at.isoformat().startswith("2099-01-01T10:00")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.what) == (
        AuditEntry.Action.SEND,
        f"mailings.mailing #{made.pk} scheduled, about 1 recipients",
    )
    # Scheduled, it can no longer be changed; cancelled, it is a draft again.
    change = reverse("admin:mailings_mailing_change", args=[made.pk])
    client.post(change, compose_form(title="Changed"))
    made.refresh_from_db()
    assert made.title == "April news"
    assert client.post(url("cancel", made)).status_code == 302
    made.refresh_from_db()
    assert made.state == Mailing.State.DRAFT


@pytest.mark.parametrize("typed", ["2025-12-05T09:00", "1999-01-01T10:00"])
def test_a_time_that_has_passed_is_refused_rather_than_sent_at_once(typed):
    supporter("ana@example.org")
    made = mailing()
    client = client_for(ORGANISER)

    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=UTC), tick=False):
        page = client.post(url("schedule", made), {"send_at": typed}, HTTP_ACCEPT_LANGUAGE="ru")

    made.refresh_from_db()
    assert (made.state, made.scheduled_at) == (Mailing.State.DRAFT, None)
    assert "Это время прошло (сейчас 5 декабря 2026, 09:00 (UTC))" in page.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_time_a_minute_ago_is_taken_as_now():
    supporter("ana@example.org")
    made = mailing()
    client = client_for(ORGANISER)

    with time_machine.travel(datetime(2026, 12, 5, 9, 1, 30, tzinfo=UTC), tick=False):
        response = client.post(url("schedule", made), {"send_at": "2026-12-05T09:00"})

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == Mailing.State.SCHEDULED


def test_a_mailing_without_its_fallback_version_cannot_be_scheduled():
    made = mailing({"ru": ("Новости", "Текст")}, fallback_language="en")
    client = client_for(ORGANISER)

    page = client.post(url("schedule", made), {"send_at": ""})

    made.refresh_from_db()
    assert made.state == Mailing.State.DRAFT
    assert "fallback language" in page.content.decode()


def test_the_report_page_shows_the_counts():
    made = mailing()
    Mailing.objects.filter(pk=made.pk).update(unsubscribed=3)

    page = client_for(ORGANISER).get(url("report", made)).content.decode()

    assert '<td class="unsubscribed">3</td>' in page


def test_the_mailings_page_shows_who_gets_the_fallback():
    made = mailing({"en": ("News", "Text"), "ru": ("Новости", "Текст")}, fallback_language="en")

    page = (
        client_for(ORGANISER)
        .get(reverse("admin:mailings_mailing_change", args=[made.pk]))
        .content.decode()
    )

    assert '<th scope="row">Russian</th><td>its own version</td>' in page
    assert '<th scope="row">German</th><td>the fallback, English</td>' in page


def test_only_a_draft_can_be_deleted_so_sent_unsubscribe_links_keep_working():
    draft, sent = mailing(), mailing(title="Sent")
    Mailing.objects.filter(pk=sent.pk).update(state=Mailing.State.SENT)
    client = client_for(ORGANISER)

    for made in (draft, sent):
        client.post(reverse("admin:mailings_mailing_delete", args=[made.pk]), {"post": "yes"})

    assert list(Mailing.objects.values_list("title", flat=True)) == ["Sent"]
    client.post(
        reverse("admin:mailings_mailing_changelist"),
        {"action": "delete_selected", "_selected_action": [sent.pk], "post": "yes"},
    )
    assert Mailing.objects.filter(pk=sent.pk).exists()


def test_a_preview_says_when_the_person_is_unknown_or_outside_the_audience():
    supporter("outside@example.org", name="Outside", consent=False)
    made = mailing()
    client = client_for(ORGANISER)

    unknown = client.post(url("preview", made), {"email": "nobody@example.org"}).content.decode()
    outside = client.post(url("preview", made), {"email": "outside@example.org"}).content.decode()

    assert "No supporter has this address." in unknown
    assert "This person is not in the audience" in outside
    assert "News for Outside" in outside
    assert AuditEntry.objects.count() == 1  # only the preview that showed someone


@pytest.mark.parametrize(
    "body",
    [
        "Read it: https://example.org/news?who={name}",
        "Write to us: mailto:{name}@example.org",
        "See www.example.org/{name}/ for more",
    ],
)
def test_a_version_that_puts_the_readers_name_in_a_link_is_refused(body):
    client = client_for(ORGANISER)

    response = client.post(
        reverse("admin:mailings_mailing_add"), compose_form(**{"versions-0-body": body})
    )

    assert response.status_code == 200
    assert "cannot be part of a link" in response.content.decode()
    assert not Mailing.objects.exists()


def test_the_name_beside_a_link_is_accepted():
    client = client_for(ORGANISER)
    body = "Thank you, {name}. Read more at https://example.org/news/ ."

    response = client.post(
        reverse("admin:mailings_mailing_add"), compose_form(**{"versions-0-body": body})
    )

    assert response.status_code == 302
    assert Mailing.objects.get().versions.get(language="en").body == body
