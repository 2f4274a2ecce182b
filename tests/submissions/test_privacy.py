"""What must never show, and what must not stay on disk."""

import os
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from picketline.submissions import housekeeping, storage
from picketline.submissions.models import (
    ActionReport,
    Decision,
    Endorsement,
    ReportPhoto,
    Status,
    VideoMessage,
)
from picketline.supporters.flow import unconfirmed_lifetime
from picketline.web import orphans

from .helpers import (
    files_under,
    make_endorsement,
    make_moderator,
    make_report,
    make_video_message,
    png_bytes,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/en/submit/videos/",
    "/en/submit/endorsements/",
    "/en/submit/reports/",
    "/ru/submit/videos/",
    "/de/submit/endorsements/",
    "/be/submit/reports/",
]


def one_of_each(marker: str):
    video = make_video_message(text=f"{marker} video", public_name=f"{marker} name")
    endorsement = make_endorsement(organisation=f"{marker} union", statement=f"{marker} words")
    report = make_report(title=f"{marker} report", text=f"{marker} text")
    return [video, endorsement, report]


@pytest.mark.parametrize("state", ["unconfirmed", "waiting", "changes", "rejected", "withdrawn"])
def test_nothing_but_approved_items_appears_on_any_public_page(client, state):
    from tests.campaigns.helpers import make_campaign

    make_campaign()
    moderator = make_moderator()
    items = one_of_each("Hiddenmarker")
    for item in items:
        if state != "unconfirmed":
            item.confirm()
        if state == "changes":
            item.decide(moderator, Decision.Action.REQUEST_CHANGES, "please change")
        elif state == "rejected":
            item.decide(moderator, Decision.Action.REJECT, "no")
        elif state == "withdrawn":
            item.decide(moderator, Decision.Action.APPROVE)
            item.withdraw()
    pages = [*PUBLIC_PAGES, "/en/"]
    pages += [f"/en/submit/videos/{items[0].pk}/", f"/en/submit/reports/{items[2].pk}/"]
    for path in pages:
        response = client.get(path)
        assert "Hiddenmarker" not in response.content.decode(), path


def test_approved_pages_never_show_the_private_contact(client):
    moderator = make_moderator()
    for item in one_of_each("Shown"):
        item.confirm()
        item.decide(moderator, Decision.Action.APPROVE)
    Endorsement.objects.update(contact_role="Secret treasurer")
    for path in PUBLIC_PAGES:
        html = client.get(path).content.decode()
        for private in (
            "ana@example.org", "Ana Example", "contact@union.example", "Private Contactperson",
            "reporter@example.org", "Private Reporter", "Secret treasurer",
        ):  # fmt: skip
            assert private not in html, (path, private)


def test_it_was_not_me_deletes_the_submission_and_its_files(media_dirs):
    report = make_report()
    ReportPhoto.objects.create(
        report=report, file=storage.save_public("photos", png_bytes(), "png"), width=4, height=3
    )
    assert files_under(*media_dirs)
    assert report.reject() is True
    assert not ActionReport.objects.exists()
    assert files_under(*media_dirs) == []


def test_unconfirmed_submissions_go_with_their_files_after_the_lifetime(media_dirs):
    endorsement = make_endorsement(logo=storage.save_public("logos", png_bytes(), "png"))
    confirmed = make_endorsement(organisation="Confirmed")
    confirmed.confirm()
    assert housekeeping.delete_unconfirmed() == 0
    later = timezone.now() + unconfirmed_lifetime() + timedelta(minutes=1)
    with time_machine.travel(later):
        assert housekeeping.delete_unconfirmed() == 1
    assert not Endorsement.objects.filter(pk=endorsement.pk).exists()
    assert Endorsement.objects.filter(pk=confirmed.pk).exists()
    assert files_under(*media_dirs) == []


def test_files_no_row_names_are_swept_after_an_hour(media_dirs):
    kept = make_endorsement(logo=storage.save_public("logos", png_bytes(), "png"))
    stray = storage.save_public("logos", png_bytes(), "png")
    upload_left = media_dirs[1] / "uploads" / "tmpabc.upload"
    upload_left.parent.mkdir(parents=True)
    upload_left.write_bytes(b"half an upload")
    fresh = storage.save_public("photos", png_bytes(), "png")
    hour_ago = time.time() - 3700
    for path in (media_dirs[0] / "submissions" / stray, upload_left):
        os.utime(path, (hour_ago, hour_ago))
    assert orphans.delete_unreferenced() == 2
    remaining = {p.name for p in files_under(*media_dirs)}
    assert remaining == {kept.logo.split("/")[1], fresh.split("/")[1]}


def test_a_withdrawn_item_is_logged_and_counted_nowhere(client, django_capture_on_commit_callbacks):
    item = make_report(country="Chile")
    item.confirm()
    item.decide(make_moderator(), Decision.Action.APPROVE)
    assert "Chile: 1" in client.get("/en/submit/reports/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is refreshed
        item.withdraw()
    assert "Chile" not in client.get("/en/submit/reports/").content.decode()
    assert item.status == Status.WITHDRAWN
    assert [d.action for d in Decision.objects.for_item(item)] == ["withdraw", "approve"]


def test_a_videos_privacy_export_lists_what_we_hold():
    video = make_video_message(text="My words")
    data = video.supporter.personal_data()
    [entry] = [a for a in data["actions"] if a["data"].get("message") == "My words"]
    assert entry["data"]["public name"] == "Ana, Germany"
    assert VideoMessage.objects.count() == 1


def test_the_moderation_log_keeps_nothing_the_sender_wrote(
    client, django_capture_on_commit_callbacks
):
    video = make_video_message(text="Call me on +49 170 1234567")
    video.confirm()
    video.decide(make_moderator(), Decision.Action.APPROVE)
    video.supporter.erase()
    assert "+49 170" not in " ".join(Decision.objects.values_list("item", flat=True))
    assert Decision.objects.filter(item__startswith="video message #").count() == 2
