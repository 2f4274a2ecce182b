"""Django's admin log (``django_admin_log``) never holds what a supporter typed: an organiser who
adds, changes or deletes something a supporter wrote leaves an entry that names its kind and
number only, before and after the supporter erases their data. Every admin of such a model is
taken from the admin site, so a new one is covered (or fails for want of a maker below)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, RequestFactory

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.accounts.roles import WRITTEN_BY_SUPPORTERS
from picketline.events.models import HostedReport
from picketline.letters.models import Letter, Reply
from picketline.mail.models import MailboxMessage, OutgoingMessage
from picketline.partners.models import Partner
from picketline.submissions.models import Decision
from picketline.supporters.models import Consent, Supporter
from picketline.web.admin_log import NeutralAdminLog, neutral_repr
from picketline.web.fields import EncryptedMixin
from tests.events.helpers import hosted_action, online_meeting, registration_for
from tests.fixtures.accounts import login_verified, make_staff
from tests.letters.helpers import letter_action, target
from tests.submissions.helpers import make_endorsement, make_report, make_video_message
from tests.supporters.helpers import database_text

pytestmark = pytest.mark.django_db

MARKER = "Vigil with Ona Petraite at the embassy"
HOST = "ona.petraite@example.org"
MIGRATION = importlib.import_module("picketline.accounts.migrations.0004_neutral_admin_log")


def holds_what_supporters_type(model: type[models.Model]) -> bool:
    model_admin = admin.site.get_model_admin(model) if admin.site.is_registered(model) else None
    return (
        (model._meta.app_label, model._meta.model_name) in WRITTEN_BY_SUPPORTERS
        or any(isinstance(field, EncryptedMixin) for field in model._meta.get_fields())
        or isinstance(model_admin, AuditedPersonalDataAdmin)
    )


def admins_of_typed_data() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if admin.site.is_registered(model) and holds_what_supporters_type(model)
    ]


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def host() -> Supporter:
    return Supporter.get_or_create_for_email(HOST, name="Ona Petraite")[0]


def _decision() -> Decision:
    report = make_report(supporter=host(), title=MARKER, text=MARKER)
    report.confirm()
    return report.decide(make_staff("moderator"), Decision.Action.REJECT, MARKER)


def _partner_contact() -> Consent:
    partner = Partner.objects.create(name="ITUC", slug="ituc", active=True)
    return Consent.record(
        host(), Consent.Purpose.PARTNER_UPDATES, "ITUC", "en", "/", partner=partner, confirmed=True
    )


def _reply() -> Reply:
    embassy = target("Embassy of Belarus", "DE")
    return Reply.objects.create(action=letter_action(fixed=[embassy]), target=embassy, text=MARKER)


# One object per model with MARKER in what its supporter typed (the encrypted fields: a field
# kept in clear, an endorsement's organisation, is public and stays in its own row).
MAKERS: dict[str, Callable[[], models.Model]] = {
    "mail.outgoingmessage": lambda: OutgoingMessage.queue(
        to=[HOST], subject=MARKER, text=MARKER, kind="test", language="en"
    ),
    "mail.mailboxmessage": lambda: MailboxMessage.objects.create(
        from_email="campaign@example.org", to=HOST, subject=MARKER, body_text=MARKER, raw=MARKER
    ),
    "supporters.supporter": lambda: Supporter.get_or_create_for_email(HOST, name=MARKER)[0],
    "supporters.partnercontact": _partner_contact,
    "letters.letter": lambda: Letter.objects.create(
        action=letter_action(), supporter=host(), country="DE", personal_paragraph=MARKER
    ),
    "letters.reply": _reply,
    "events.hostedaction": lambda: hosted_action(
        host_email=HOST, title=MARKER, description=MARKER, place=MARKER
    ),
    "events.hostedreport": lambda: HostedReport.objects.create(
        hosted_action=hosted_action(host_email=HOST, title=MARKER), participants=3, text=MARKER
    ),
    "events.registration": lambda: registration_for(
        online_meeting(), HOST, organisation=MARKER, accessibility_needs=MARKER
    ),
    "submissions.videomessage": lambda: make_video_message(
        supporter=host(), text=MARKER, public_name=MARKER
    ),
    "submissions.endorsement": lambda: make_endorsement(
        supporter=host(), statement=MARKER, contact_role=MARKER
    ),
    "submissions.actionreport": lambda: make_report(supporter=host(), title=MARKER, text=MARKER),
    "submissions.decision": _decision,
}


class SubmittedForm(HTMLParser):
    """What a browser posts back from the admin's change form, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.inside = False
        self.textarea: str | None = None
        self.text: list[str] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "form" and found.get("id", "").endswith("_form"):
            self.inside = True
        name = found.get("name")
        if not self.inside or "disabled" in found:
            return
        kind = found.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "file", "image"}:
            if kind in {"checkbox", "radio"} and "checked" not in found:
                return
            self.add(name, found.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((found.get("value", ""), "selected" in found))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            for value in chosen or [value for value, _ in self.options[:1]]:
                self.add(self.select, value)
            self.select = None


def posted_back(client: Client, url: str) -> dict[str, list[str]]:
    form = SubmittedForm()
    form.feed(client.get(url).content.decode())
    return form.data


def errors_in(response) -> object:
    context = response.context
    return context and [context["adminform"].form.errors, context.get("errors")]


def assert_entries_are_neutral() -> None:
    for entry in LogEntry.objects.select_related("content_type"):
        model = entry.content_type.model_class()
        assert entry.object_repr == neutral_repr(model, entry.object_id)
        assert MARKER not in entry.change_message
    assert MARKER not in database_text()


def test_every_admin_of_what_supporters_type_logs_by_kind_and_number():
    models_ = admins_of_typed_data()
    assert {"events.hostedaction", "submissions.actionreport"} <= {label(m) for m in models_}
    plain = [
        label(m) for m in models_ if not isinstance(admin.site.get_model_admin(m), NeutralAdminLog)
    ]
    assert plain == []
    assert sorted(label(m) for m in models_ if label(m) not in MAKERS) == []


@pytest.mark.parametrize("model", admins_of_typed_data(), ids=label)
def test_changing_and_deleting_in_the_admin_logs_nothing_typed(client, model):
    boss = make_staff("boss")
    login_verified(client, boss)
    request = RequestFactory().get("/admin/")
    request.user = boss
    model_admin = admin.site.get_model_admin(model)
    obj = MAKERS[label(model)]()
    supporter = host()
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}"
    logged = []

    if model_admin.has_change_permission(request, obj):
        data = posted_back(client, f"{base}/change/")
        response = client.post(f"{base}/change/", data)
        assert response.status_code == 302, errors_in(response)
        logged.append(CHANGE)
    assert_entries_are_neutral()

    if model_admin.has_delete_permission(request, obj):
        response = client.post(f"{base}/delete/", {"post": "yes"})
        assert response.status_code == 302, errors_in(response)
        assert not model._base_manager.filter(pk=obj.pk).exists()
        logged.append(DELETION)
    assert_entries_are_neutral()
    assert sorted(LogEntry.objects.values_list("action_flag", flat=True)) == sorted(logged)

    supporter.erase()
    assert_entries_are_neutral()


def test_adding_a_report_in_the_admin_logs_its_kind_and_number(client):
    hosted = hosted_action(host_email=HOST, title=MARKER)
    login_verified(client, make_staff("boss"))
    data = posted_back(client, "/admin/events/hostedreport/add/")
    data |= {"hosted_action": [str(hosted.pk)], "participants": ["12"], "text": [MARKER]}
    response = client.post("/admin/events/hostedreport/add/", data)
    assert response.status_code == 302, errors_in(response)

    report = HostedReport.objects.get()
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_repr) == (
        ADDITION,
        f"Report from a hosted action #{report.pk}",
    )
    assert_entries_are_neutral()
    host().erase()
    assert_entries_are_neutral()


def test_deleting_several_at_once_logs_each_by_kind_and_number(client):
    first = hosted_action(host_email=HOST, title=MARKER)
    second = hosted_action(host_email=HOST, title=f"{MARKER} again")
    login_verified(client, make_staff("boss"))
    response = client.post(
        "/admin/events/hostedaction/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == [
        f"Supporter-hosted action #{first.pk}",
        f"Supporter-hosted action #{second.pk}",
    ]
    assert_entries_are_neutral()


def test_the_migration_names_the_models_as_the_admin_does_today():
    names = {
        (model._meta.app_label, model._meta.model_name): neutral_repr(model, 1).removesuffix(" #1")
        for model in apps.get_models()
        if holds_what_supporters_type(model)
    }
    assert names == MIGRATION.NEUTRAL_NAMES


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_are_renamed_by_kind_and_number():
    hosted = hosted_action(host_email=HOST, title=MARKER)
    report = HostedReport.objects.create(hosted_action=hosted, participants=3, text=MARKER)
    campaign_event = online_meeting()
    boss = make_staff("boss")
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_alter_auditentry_action")])
    old = executor.loader.project_state(
        [
            ("accounts", "0003_alter_auditentry_action"),
            ("admin", "0003_logentry_add_action_flag_choices"),
        ]
    ).apps
    OldEntry = old.get_model("admin", "LogEntry")
    OldType = old.get_model("contenttypes", "ContentType")

    def written(obj, flag, message="") -> None:
        kind = OldType.objects.get(app_label=obj._meta.app_label, model=obj._meta.model_name)
        OldEntry.objects.create(
            user_id=boss.pk,
            content_type=kind,
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=flag,
            change_message=message,
        )

    written(hosted, CHANGE, '[{"changed": {"fields": ["Title"]}}]')
    written(report, CHANGE, f'[{{"added": {{"name": "photo", "object": "{MARKER} photo"}}}}]')
    written(campaign_event, CHANGE, '[{"changed": {"fields": ["Title"]}}]')
    assert MARKER in database_text()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    entries = {
        entry.content_type.model: (entry.object_repr, entry.get_change_message())
        for entry in LogEntry.objects.all()
    }
    assert entries == {
        "hostedaction": (f"Supporter-hosted action #{hosted.pk}", "Changed Title."),
        "hostedreport": (f"Report from a hosted action #{report.pk}", "Added photo “”."),
        # An event is the organisers' own content: its title stays.
        "event": (str(campaign_event), "Changed Title."),
    }
    assert MARKER not in database_text()


def test_an_inline_row_is_named_by_its_number_in_the_change_message():
    hosted = hosted_action(host_email=HOST, title=MARKER)
    added = HostedReport.objects.create(hosted_action=hosted, participants=3, text=MARKER)
    rows = SimpleNamespace(new_objects=[added], changed_objects=[], deleted_objects=[])
    form = SimpleNamespace(changed_data=[])
    request = RequestFactory().post("/admin/")
    model_admin = admin.site.get_model_admin(type(hosted))

    message = model_admin.construct_change_message(request, form, [rows])

    assert message == [{"added": {"name": "report from a hosted action", "object": f"#{added.pk}"}}]
