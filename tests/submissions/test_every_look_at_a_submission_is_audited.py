"""Every look at what a supporter sent in, and at an original upload, is in the audit log:
who, when, which item, and never what it says."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from picketline.accounts.models import AuditEntry
from picketline.submissions.models import private_files

from .helpers import make_endorsement, make_moderator, make_report, make_video_message

pytestmark = pytest.mark.django_db

QUEUE = "/admin/submissions/decision/queue/"


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


def entries() -> list[tuple[str, str, str]]:
    return list(AuditEntry.objects.order_by("pk").values_list("username", "action", "what"))


def assert_nothing_said(*secrets: str) -> None:
    for entry in AuditEntry.objects.all():
        for secret in secrets:
            assert secret not in entry.what


def test_opening_the_queue_is_logged(moderator_client):
    video = make_video_message(text="Words from Minsk")
    video.confirm()
    assert "Words from Minsk" in moderator_client.get(QUEUE).content.decode()
    assert entries() == [("mod", "list", "submissions moderation queue")]


def test_opening_a_submission_in_the_admin_is_logged(moderator_client):
    report = make_report(text="Names of three colleagues")
    page = moderator_client.get(f"/admin/submissions/actionreport/{report.pk}/change/")
    assert "Names of three colleagues" in page.content.decode()
    moderator_client.get("/admin/submissions/endorsement/")
    endorsement = make_endorsement()
    moderator_client.get(f"/admin/submissions/endorsement/{endorsement.pk}/change/")
    assert entries() == [
        ("mod", "view", f"submissions.actionreport #{report.pk}"),
        ("mod", "list", "submissions.endorsement list"),
        ("mod", "view", f"submissions.endorsement #{endorsement.pk}"),
    ]
    assert_nothing_said("Names of three colleagues", "Example Metalworkers")


def test_the_moderation_log_is_logged_too(moderator_client):
    moderator_client.get("/admin/submissions/decision/")
    assert entries() == [("mod", "list", "submissions.decision list")]


def test_downloading_an_original_upload_is_logged_once_per_viewing(moderator_client):
    video = make_video_message()
    video.original = private_files().save(f"original-{video.pk}.mp4", ContentFile(b"\x00" * 4096))
    video.save(update_fields=["original"])
    url = f"/admin/submissions/decision/original/{video.pk}/"

    assert moderator_client.get(url).status_code == 200
    assert moderator_client.get(url, headers={"Range": "bytes=0-1023"}).status_code == 206
    # The player asks for the rest in pieces: the same viewing.
    assert moderator_client.get(url, headers={"Range": "bytes=1024-"}).status_code == 206
    assert entries() == [
        ("mod", "view", f"submissions.videomessage #{video.pk} original upload"),
        ("mod", "view", f"submissions.videomessage #{video.pk} original upload"),
    ]


def test_a_refused_look_is_not_logged_as_a_view(client):
    from tests.fixtures.accounts import login_verified, make_staff

    login_verified(client, make_staff("outsider", superuser=False))
    video = make_video_message()
    assert client.get(f"/admin/submissions/decision/original/{video.pk}/").status_code == 403
    assert client.get(QUEUE).status_code == 403
    assert entries() == []


def test_a_moderators_look_at_an_unpublished_logo_is_logged_a_public_one_is_not(
    moderator_client,
):
    from picketline.submissions.models import Status, public_files, public_name

    from .helpers import png_bytes

    endorsement = make_endorsement()
    endorsement.logo = f"logo-{endorsement.pk}.png"
    endorsement.save(update_fields=["logo"])
    public_files().save(public_name(endorsement.logo), ContentFile(png_bytes()))
    url = f"/media/submissions/logos/{endorsement.public_token}"
    assert moderator_client.get(url).status_code == 200
    assert entries() == [("mod", "view", f"submissions.endorsement #{endorsement.pk} logo")]
    endorsement.confirm()
    endorsement.status = Status.APPROVED
    endorsement.save(update_fields=["status"])
    assert moderator_client.get(url).status_code == 200
    assert len(entries()) == 1  # public now: anyone may see it, nothing to log
