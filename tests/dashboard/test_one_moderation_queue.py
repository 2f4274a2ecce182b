"""One queue for everything supporters send that waits for a moderator, oldest first, each
decided through its own app; and the moderators' digest, with counts and nothing personal."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from picketline.accounts.roles import MODERATOR, ORGANISER, VIEWER, ensure_roles
from picketline.dashboard import digest
from picketline.events.models import HostedAction, HostedReport, ReportPhoto
from picketline.jobs import schedule
from picketline.mail.outbox import send_due
from picketline.submissions.models import Endorsement, Status
from tests.events.test_hosted import hosted
from tests.fixtures.accounts import login_verified, make_staff
from tests.submissions.helpers import make_endorsement, make_report, make_video_message

pytestmark = pytest.mark.django_db

QUEUE = reverse("dashboard:moderation")


@pytest.fixture(autouse=True)
def roles():
    ensure_roles()


def as_role(client, role: str, email: str = ""):
    user = make_staff(role, superuser=False, groups=[role])
    user.email = email
    user.save()
    login_verified(client, user)
    return client


def everything_waiting(now=None):
    """One item of every kind, each waiting a day longer than the next."""
    start = now or timezone.now()
    made = {}
    with time_machine.travel(start - timedelta(days=5), tick=False):
        made["hostedaction"] = hosted(title="Vigil of the lanterns")
    with time_machine.travel(start - timedelta(days=4), tick=False):
        made["videomessage"] = make_video_message(text="Greetings from the harbour")
        made["videomessage"].confirm()
    with time_machine.travel(start - timedelta(days=3), tick=False):
        made["endorsement"] = make_endorsement(organisation="Harbour Workers")
        made["endorsement"].confirm()
    with time_machine.travel(start - timedelta(days=2), tick=False):
        made["hostedreport"] = HostedReport.objects.create(
            hosted_action=hosted(title="Earlier picket"), participants=40, text="Forty came."
        )
        HostedAction.objects.filter(pk=made["hostedreport"].hosted_action_id).update(
            status=HostedAction.Status.APPROVED
        )
    with time_machine.travel(start - timedelta(days=1), tick=False):
        made["actionreport"] = make_report(title="Leaflets at the gate")
        made["actionreport"].confirm()
    make_endorsement(organisation="Never confirmed")  # not in the queue
    return made


def test_it_lists_everything_waiting_oldest_first_for_an_organiser(client):
    everything_waiting()
    page = as_role(client, ORGANISER).get(QUEUE)
    assert page.status_code == 200
    keys = [entry["key"] for entry in page.context["items"]]
    assert keys == ["hostedaction", "videomessage", "endorsement", "hostedreport", "actionreport"]
    text = page.content.decode()
    for words in ("Vigil of the lanterns", "Greetings from the harbour", "Harbour Workers",
                  "Forty came.", "Leaflets at the gate"):  # fmt: skip
        assert words in text
    assert "Never confirmed" not in text
    assert "+370 600 00000" not in text  # the host's private contact is not needed to decide


def test_a_moderator_sees_everything_waiting_and_a_viewer_nothing(client):
    everything_waiting()
    page = as_role(client, MODERATOR).get(QUEUE)
    keys = [entry["key"] for entry in page.context["items"]]
    assert keys == ["hostedaction", "videomessage", "endorsement", "hostedreport", "actionreport"]
    text = page.content.decode()
    assert "Vigil of the lanterns" in text and "Forty came." in text
    assert "+370 600 00000" not in text
    client.logout()
    assert as_role(client, VIEWER).get(QUEUE).status_code == 403


def test_a_moderator_decides_on_hosted_actions_and_their_reports(client):
    made = everything_waiting()
    as_role(client, MODERATOR)
    response = client.post(
        reverse("events:hosted_approve", args=[made["hostedaction"].pk]), {"next": QUEUE}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert HostedAction.objects.get(pk=made["hostedaction"].pk).status == "approved"
    response = client.post(
        reverse("events:report_moderate", args=[made["hostedreport"].pk]),
        {"decision": "reject", "next": QUEUE},
    )
    assert response["Location"] == QUEUE
    assert HostedReport.objects.get(pk=made["hostedreport"].pk).status == "rejected"
    keys = [entry["key"] for entry in client.get(QUEUE).context["items"]]
    assert keys == ["videomessage", "endorsement", "actionreport"]


def test_the_moderators_own_review_page_leaves_out_the_hosts_contact(client):
    everything_waiting()
    page = as_role(client, MODERATOR).get(reverse("events:organise_hosted"))
    assert page.status_code == 200
    assert "Vigil of the lanterns" in page.content.decode()
    assert "+370 600 00000" not in page.content.decode()
    client.logout()
    page = as_role(client, ORGANISER, "org@example.org").get(reverse("events:organise_hosted"))
    assert "+370 600 00000" in page.content.decode()


def test_a_moderator_may_not_edit_a_hosted_action(client):
    made = everything_waiting()
    as_role(client, MODERATOR)
    pk = made["hostedaction"].pk
    assert client.get(reverse("admin:events_hostedaction_change", args=[pk])).status_code == 403
    assert client.get(reverse("admin:events_hostedaction_changelist")).status_code == 403


def test_the_anonymous_are_sent_to_the_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_each_decision_goes_through_its_own_app_and_back_to_the_queue(client):
    made = everything_waiting()
    as_role(client, ORGANISER)
    endorsement = made["endorsement"]
    prefix = f"endorsement-{endorsement.pk}"
    response = client.post(
        reverse("admin:submissions_decision_decide", args=["endorsement", endorsement.pk]),
        {f"{prefix}-action": "approve", f"{prefix}-reason": "", "next": QUEUE},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert Endorsement.objects.get(pk=endorsement.pk).status == Status.APPROVED

    response = client.post(
        reverse("events:hosted_decline", args=[made["hostedaction"].pk]),
        {"reason": "Please name the street.", "next": QUEUE},
    )
    assert response["Location"] == QUEUE
    assert HostedAction.objects.get(pk=made["hostedaction"].pk).status == "rejected"

    response = client.post(
        reverse("events:report_moderate", args=[made["hostedreport"].pk]),
        {"decision": "approve", "next": QUEUE},
    )
    assert response["Location"] == QUEUE
    assert HostedReport.objects.get(pk=made["hostedreport"].pk).status == "approved"

    keys = [entry["key"] for entry in client.get(QUEUE).context["items"]]
    assert keys == ["videomessage", "actionreport"]


def test_a_next_address_elsewhere_is_not_followed(client):
    made = everything_waiting()
    as_role(client, ORGANISER)
    response = client.post(
        reverse("events:hosted_approve", args=[made["hostedaction"].pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("events:organise_hosted")


def digests() -> list:
    send_due()
    return [message for message in mail.outbox if "moderation" in message.subject]


def test_the_digest_gives_counts_and_a_link_and_nothing_personal(client, settings):
    make_staff("moderator", superuser=False, groups=[MODERATOR]).__class__.objects.filter(
        username="moderator"
    ).update(email="mod@example.org")
    organiser = make_staff("organiser", superuser=False, groups=[ORGANISER])
    organiser.email = "org@example.org"
    organiser.save()
    make_staff("viewer", superuser=False, groups=[VIEWER]).__class__.objects.filter(
        username="viewer"
    ).update(email="viewer@example.org")
    assert digest.send() == 0  # nothing waits
    everything_waiting()

    assert digest.send() == 2
    by_address = {tuple(message.to): message for message in digests()}
    assert set(by_address) == {("mod@example.org",), ("org@example.org",)}
    to_moderator = by_address[("mod@example.org",)]
    assert to_moderator.subject == "5 items wait for moderation"
    assert "Video messages: 1" in to_moderator.body
    assert "Supporter-hosted actions: 1" in to_moderator.body
    assert "Reports from hosted actions: 1" in to_moderator.body
    assert by_address[("org@example.org",)].subject == "5 items wait for moderation"
    assert settings.SITE_URL + QUEUE in to_moderator.body
    for message in by_address.values():
        everything = message.body + message.alternatives[0][0]
        for personal in ("Vigil of the lanterns", "Greetings from the harbour", "Harbour Workers",
                         "Forty came.", "Leaflets at the gate", "Ana", "host@example.org"):  # fmt: skip
            assert personal not in everything


def test_the_digest_is_not_sent_again_until_the_queue_changes():
    user = make_staff("moderator", superuser=False, groups=[MODERATOR])
    user.email = "mod@example.org"
    user.save()
    make_endorsement(organisation="First").confirm()
    assert digest.send() == 1
    assert digest.send() == 0  # nothing changed
    second = make_endorsement(organisation="Second")
    second.confirm()
    assert digest.send() == 1
    second.decide(None, "approve")
    assert digest.send() == 1  # one fewer waits: the count changed
    first = Endorsement.objects.get(organisation="First")
    first.decide(None, "changes", "Please add your website.")
    assert digest.send() == 0  # nothing waits
    first.resubmit()
    assert digest.send() == 1  # the same item back in an emptied queue is news


def test_the_worker_sends_it_at_the_interval_set(settings):
    from picketline.dashboard import jobs

    job = schedule.REGISTRY["picketline.dashboard.jobs.moderation_digest"]
    assert job.interval == timedelta(minutes=settings.MODERATION_DIGEST_MINUTES)
    assert job.func is jobs.moderation_digest
    user = make_staff("moderator", superuser=False, groups=[MODERATOR])
    user.email = "mod@example.org"
    user.save()
    make_endorsement().confirm()
    assert "picketline.dashboard.jobs.moderation_digest" in schedule.run_due()
    assert len(digests()) == 1


def test_a_moderator_sees_a_waiting_reports_photo_and_a_viewer_does_not(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    made = everything_waiting()
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(picture, format="JPEG")
    photo = ReportPhoto.store(made["hostedreport"], picture.getvalue())
    url = reverse("events:hosted_photo", args=[photo.pk])
    assert as_role(client, MODERATOR).get(url).status_code == 200
    client.logout()
    assert as_role(client, VIEWER, "viewer@example.org").get(url).status_code == 404


def test_a_picket_of_one_is_one_person_in_every_language(client):
    hosted(title="A picket of one", expected_size=1)
    hosted(title="Vigil of twenty-one", expected_size=21, contact="+370 600 00021")
    as_role(client, MODERATOR)
    english = client.get(QUEUE).content.decode()
    assert "about 1 person<" in english and "about 21 people<" in english
    russian = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "около 1 человека<" in russian and "около 21 человека<" in russian
    door = client.get("/ru/events/organise/hosted/").content.decode()
    assert "около 1 человека<" in door
