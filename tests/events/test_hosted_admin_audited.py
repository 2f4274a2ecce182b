"""What a host typed is personal data: every look at it in the admin is in the audit log, as
for everything else supporters write (``roles.WRITTEN_BY_SUPPORTERS``)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import WRITTEN_BY_SUPPORTERS
from picketline.events.models import HostedReport
from tests.events.helpers import hosted_action
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db


def test_every_admin_of_what_supporters_write_is_audited():
    unaudited = []
    for app_label, model_name in sorted(WRITTEN_BY_SUPPORTERS):
        model = apps.get_model(app_label, model_name)
        if not admin.site.is_registered(model):
            continue  # no admin page of its own (photos are shown inside their report's)
        if not isinstance(admin.site.get_model_admin(model), AuditedPersonalDataAdmin):
            unaudited.append(f"{app_label}.{model_name}")
    assert unaudited == []


def test_opening_a_hosted_action_and_its_report_is_logged(client):
    hosted = hosted_action()
    report = HostedReport.objects.create(
        hosted_action=hosted, participants=12, text="Twelve of us with Ona Petraitė"
    )
    login_verified(client, make_staff("boss"))

    assert client.get("/admin/events/hostedaction/").status_code == 200
    page = client.get(f"/admin/events/hostedaction/{hosted.pk}/change/")
    assert "At the embassy" in page.content.decode()
    page = client.get(f"/admin/events/hostedreport/{report.pk}/change/")
    assert "Ona Petraitė" in page.content.decode()

    seen = list(AuditEntry.objects.order_by("pk").values_list("username", "action", "what"))
    assert seen == [
        ("boss", "list", "events.hostedaction list"),
        ("boss", "view", f"events.hostedaction #{hosted.pk}"),
        ("boss", "view", f"events.hostedreport #{report.pk}"),
    ]
    assert not AuditEntry.objects.filter(what__contains="Ona").exists()


def test_opening_the_demo_mailbox_is_logged(client):
    from picketline.mail.models import MailboxMessage

    message = MailboxMessage.objects.create(
        from_email="campaign@example.org",
        to="ona@example.org",
        subject="Please confirm",
        body_text="Hello Ona Petraitė",
        raw="Subject: Please confirm",
    )
    login_verified(client, make_staff("boss"))
    assert client.get("/admin/mail/mailboxmessage/").status_code == 200
    page = client.get(f"/admin/mail/mailboxmessage/{message.pk}/change/")
    assert "Ona Petraitė" in page.content.decode()
    seen = list(AuditEntry.objects.order_by("pk").values_list("action", "what"))
    assert seen == [
        ("list", "mail.mailboxmessage list"),
        ("view", f"mail.mailboxmessage #{message.pk}"),
    ]


def test_the_admin_s_approve_says_what_it_could_not_approve(client):
    from picketline.events.models import Event

    kept = hosted_action(title="Vigil")
    kept.confirm()
    orphan = hosted_action(host_email=None, title="")
    orphan.confirm()
    login_verified(client, make_staff("boss"))
    answer = client.post(
        "/admin/events/hostedaction/",
        {"action": "approve", "_selected_action": [kept.pk, orphan.pk]},
        follow=True,
    )
    assert "1 action was not approved" in answer.content.decode()
    assert Event.objects.get().title == "Vigil"
