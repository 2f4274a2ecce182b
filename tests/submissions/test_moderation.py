"""One moderation queue in the admin: who may use it, what it shows, what a decision does."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from picketline.mail.outbox import send_due
from picketline.submissions.models import Decision, Endorsement, Status, VideoMessage

from .helpers import make_endorsement, make_moderator, make_report, make_video_message

pytestmark = pytest.mark.django_db

QUEUE = "/admin/submissions/decision/queue/"


def decide_url(item):
    return f"{QUEUE}{item._meta.model_name}/{item.pk}/"


def decide(client, item, action, reason=""):
    prefix = f"{item._meta.model_name}-{item.pk}"
    return client.post(decide_url(item), {f"{prefix}-action": action, f"{prefix}-reason": reason})


@pytest.fixture(autouse=True)
def password_admin(settings):
    # Outside the demo the admin also asks for a TOTP code; the supporters' tests cover that.
    settings.DEMO = True


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_moderator_role_may_not_moderate(client):
    staff = User.objects.create_user("clerk", "clerk@example.org", "pw-pw-pw-pw-pw", is_staff=True)
    client.force_login(staff)
    item = make_endorsement()
    item.confirm()
    assert client.get(QUEUE).status_code == 403
    assert decide(client, item, "approve").status_code == 403
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_the_queue_lists_confirmed_items_of_every_kind(moderator_client):
    video = make_video_message(text="A confirmed video")
    endorsement = make_endorsement(organisation="Confirmed Union")
    report = make_report(title="Confirmed picket")
    make_endorsement(organisation="Unconfirmed Union")
    for item in (video, endorsement, report):
        item.confirm()
    page = moderator_client.get(QUEUE).content.decode()
    assert "A confirmed video" in page and "Confirmed Union" in page and "Confirmed picket" in page
    assert "Unconfirmed Union" not in page
    assert "3 items wait for a decision" in page


def test_approving_publishes_and_logs_who_when_what(moderator_client):
    item = make_endorsement(organisation="Harbour Workers")
    item.confirm()
    assert (
        "Harbour Workers" not in moderator_client.get("/en/submit/endorsements/").content.decode()
    )
    response = decide(moderator_client, item, "approve")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    decision = Decision.objects.get()
    assert decision.action == "approve" and decision.moderator_name == "mod"
    assert decision.decided_at is not None and "Harbour Workers" in decision.item
    assert "Harbour Workers" in moderator_client.get("/en/submit/endorsements/").content.decode()
    send_due()
    assert mail.outbox[-1].to == ["contact@union.example"]
    assert "/en/submit/endorsements/" in mail.outbox[-1].body


def test_a_rejection_needs_a_reason_which_the_sender_receives(moderator_client):
    item = make_report(title="Off-topic report")
    item.confirm()
    decide(moderator_client, item, "reject", "")
    item.refresh_from_db()
    assert item.status == Status.PENDING and not Decision.objects.exists()
    decide(moderator_client, item, "reject", "This is not about the campaign.")
    item.refresh_from_db()
    assert item.status == Status.REJECTED
    send_due()
    assert "This is not about the campaign." in mail.outbox[-1].body
    assert Decision.objects.get().reason == "This is not about the campaign."


def test_the_rejection_mail_speaks_the_senders_language(moderator_client):
    item = make_endorsement(language="de")
    item.confirm()
    decide(moderator_client, item, "reject", "Bitte keine Werbung.")
    send_due()
    message = mail.outbox[-1]
    assert "Bitte keine Werbung." in message.body
    assert "Hallo" in message.body


def test_a_second_decision_on_the_same_item_is_refused(moderator_client):
    item = make_endorsement()
    item.confirm()
    decide(moderator_client, item, "approve")
    decide(moderator_client, item, "reject", "too late")
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    assert Decision.objects.count() == 1


def test_asking_for_changes_sends_a_link_that_puts_it_back_in_the_queue(moderator_client, client):
    item = make_video_message(text="Greetings with a phone number +49 170 0000000")
    item.confirm()
    decide(moderator_client, item, "changes", "Please remove the phone number.")
    send_due()
    body = mail.outbox[-1].body
    assert "Please remove the phone number." in body
    link = re.search(r"http://testserver(/en/submit/change/\S+)", body).group(1)
    moderator_client.logout()
    page = client.get(link).content.decode()
    assert "Please remove the phone number." in page
    response = client.post(link, {"text": "Greetings from Leipzig", "hashtags": "#FreeThem"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == Status.PENDING and item.text == "Greetings from Leipzig"
    assert [d.action for d in Decision.objects.order_by("pk")] == ["changes", "resubmit"]
    # The link works once.
    assert client.get(link).status_code == 404


def test_the_admin_action_approves_only_confirmed_items(moderator_client):
    confirmed = make_endorsement(organisation="Confirmed")
    confirmed.confirm()
    unconfirmed = make_endorsement(organisation="Unconfirmed")
    moderator = User.objects.get(username="mod")
    moderator.is_superuser = True  # the changelist action needs change rights besides the role
    moderator.save()
    response = moderator_client.post(
        "/admin/submissions/endorsement/",
        {"action": "approve_selected", "_selected_action": [confirmed.pk, unconfirmed.pk]},
    )
    assert response.status_code == 302
    assert set(Endorsement.objects.public().values_list("organisation", flat=True)) == {"Confirmed"}


def test_the_moderation_log_cannot_be_edited_or_deleted(moderator_client):
    item = make_endorsement()
    item.confirm()
    decide(moderator_client, item, "approve")
    decision = Decision.objects.get()
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-pw-pw-pw-pw")
    moderator_client.force_login(superuser)
    url = f"/admin/submissions/decision/{decision.pk}/delete/"
    assert moderator_client.post(url, {"post": "yes"}).status_code == 403
    assert Decision.objects.count() == 1


def test_moderators_can_watch_an_uploaded_original_but_the_public_cannot(
    moderator_client, client, gps_video
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_videos import form_data

    client.post(
        "/en/submit/video/",
        {**form_data(), "video": SimpleUploadedFile("v.mov", gps_video.read_bytes())},
    )
    video = VideoMessage.objects.get()
    video.confirm()
    url = f"/admin/submissions/decision/original/{video.pk}/"
    response = moderator_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f'src="{url}"' in moderator_client.get(QUEUE).content.decode()
    moderator_client.logout()
    assert moderator_client.get(url).status_code == 302  # to the login


def test_the_lists_in_the_admin_lead_to_the_queue(moderator_client):
    for path in ("/admin/submissions/decision/", "/admin/submissions/videomessage/"):
        page = moderator_client.get(path).content.decode()
        assert f'href="{QUEUE}"' in page


def test_a_moderator_can_take_a_published_item_down_and_it_is_logged(
    moderator_client, django_capture_on_commit_callbacks
):
    item = make_report(title="Published then regretted")
    item.confirm()
    decide(moderator_client, item, "approve")
    assert (
        "Published then regretted" in moderator_client.get("/en/submit/reports/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            "/admin/submissions/actionreport/",
            {"action": "take_down_selected", "_selected_action": [item.pk]},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert Decision.objects.for_item(item).first().action == "takedown"
    assert Decision.objects.for_item(item).first().moderator_name == "mod"
    assert (
        "Published then regretted"
        not in moderator_client.get("/en/submit/reports/").content.decode()
    )


def test_the_queue_is_valid_html_and_names_the_zone_of_each_time(moderator_client, tmp_path):
    from tests.web.test_pages_are_valid_html import nu_errors

    for item in (make_video_message(), make_endorsement(), make_report()):
        item.confirm()
    page = moderator_client.get(QUEUE)
    assert page.content.decode().count("(UTC)") == 6  # sent and confirmed, for each item
    assert nu_errors({QUEUE: page.content}, tmp_path) == []
