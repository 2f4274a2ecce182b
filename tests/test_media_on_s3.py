"""Uploaded media on S3-compatible object storage: the same storage calls as on local disk,
against a real S3 server process on loopback (moto's). Originals sit in a bucket of their own,
nothing is readable by anyone without the keys, every file reaches a visitor through our own
views (with Range for video), the worker transcodes from a scratch copy, and what is erased or
refused leaves its bucket."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from picketline.events.models import HostedReport
from picketline.jobs.worker import drain
from picketline.submissions.models import (
    ActionReport,
    Decision,
    Endorsement,
    VideoMessage,
    public_files,
)
from picketline.supporters.models import Supporter
from picketline.web import orphans
from tests.events.test_hosted import hosted, organiser, photo_with_location
from tests.submissions.helpers import files_under, jpeg_with_gps, make_moderator, make_video
from tests.submissions.test_endorsements_and_reports import endorsement_data, report_data
from tests.submissions.test_videos import form_data

pytestmark = pytest.mark.django_db


def fetched_by(storage) -> list[int]:
    """The bytes each GET of an object by this storage's S3 client brings, as they come
    (boto3's event hooks)."""
    sizes: list[int] = []
    events = storage.connection.meta.client.meta.events
    events.register(
        "after-call.s3.GetObject", lambda parsed, **_: sizes.append(parsed["ContentLength"])
    )
    return sizes


def heads_by(storage) -> list[str]:
    """Each HEAD request (an object's size and date) this storage's S3 client makes."""
    heads: list[str] = []
    events = storage.connection.meta.client.meta.events
    events.register("after-call.s3.HeadObject", lambda **_: heads.append("HEAD"))
    return heads


def local_media(settings) -> list:
    return files_under(settings.MEDIA_ROOT, settings.SUBMISSIONS_PRIVATE_ROOT)


def publish(item) -> None:
    item.confirm()
    item.decide(make_moderator(), Decision.Action.APPROVE)


# The worker manages its own database connections: it needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_video_goes_from_upload_through_the_worker_to_range_requests_and_erasure(
    client, settings, tmp_path, s3_media, s3_endpoint, django_capture_on_commit_callbacks
):
    clip = make_video(tmp_path / "clip.mov", seconds=2)
    upload = SimpleUploadedFile("clip.mov", clip.read_bytes(), content_type="video/quicktime")
    assert client.post("/en/submit/video/", {**form_data(), "video": upload}).status_code == 302
    video = VideoMessage.objects.get()
    # The original waits in the private bucket, readable by no one without the keys.
    assert s3_media.names(s3_media.private) == [video.original]
    assert s3_media.read(s3_media.private, video.original) == clip.read_bytes()
    assert not s3_media.readable_by_anyone(s3_media.private, video.original)
    assert s3_media.names(s3_media.public) == []
    assert local_media(settings) == []  # the upload's temporary file is gone

    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()  # the worker: copy down, re-encode, store the copy and the poster
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.DONE
    published = f"submissions/{video.video}"
    poster = f"submissions/{video.poster}"
    assert s3_media.names(s3_media.public) == sorted([published, poster])
    assert not s3_media.readable_by_anyone(s3_media.public, published)
    assert local_media(settings) == []  # the worker's scratch copies are gone

    # Served by our own view, never by sending the visitor to the storage.
    page = client.get("/en/submit/videos/").content.decode()
    assert f'src="{video.video_url()}"' in page and s3_endpoint not in page
    stored = s3_media.read(s3_media.public, published)
    fetched = fetched_by(public_files())
    whole = client.get(video.video_url())
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == stored
    part = client.get(video.video_url(), HTTP_RANGE="bytes=100-1123")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1123/{len(stored)}"
    assert b"".join(part.streaming_content) == stored[100:1124]
    assert fetched == [len(stored), 1024]  # the part alone came from the bucket
    tail = client.get(video.video_url(), HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == stored[-50:]
    too_far = client.get(video.video_url(), HTTP_RANGE=f"bytes={len(stored)}-")
    assert too_far.status_code == 416
    assert client.get(video.poster_url())["Content-Type"] == "image/jpeg"

    # The sender asks to be erased: the video comes down and its files leave both buckets.
    Supporter.objects.get().erase()
    assert s3_media.names(s3_media.public) == []
    assert s3_media.names(s3_media.private) == []
    assert client.get(video.video_url()).status_code == 404


def test_a_moderator_watches_an_original_from_the_private_bucket_with_ranges(client, s3_media):
    from django.core.files.storage import storages

    from tests.fixtures.accounts import login_verified

    video = VideoMessage.objects.create(text="", link="")
    video.original = storages["private"].save("originals/o.mp4", ContentFile(b"0123456789" * 50))
    video.save(update_fields=["original"])
    url = f"/admin/submissions/decision/original/{video.pk}/"
    assert client.get(url).status_code != 200  # not for the public
    login_verified(client, make_moderator())
    response = client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206 and b"".join(response.streaming_content) == b"0123456789"
    assert "private, no-store" in response["Cache-Control"]


def test_a_range_of_a_large_video_fetches_only_that_range_from_the_bucket(client, s3_media):
    from django.core.files.storage import storages

    from tests.fixtures.accounts import login_verified

    content = bytes(range(256)) * 40_000  # 10,240,000 bytes
    video = VideoMessage.objects.create(text="", link="")
    video.original = storages["private"].save("originals/big.mp4", ContentFile(content))
    video.save(update_fields=["original"])
    login_verified(client, make_moderator())
    fetched = fetched_by(storages["private"])
    heads = heads_by(storages["private"])
    url = f"/admin/submissions/decision/original/{video.pk}/"

    for wanted, start, end in (("bytes=5000000-5000999", 5_000_000, 5_000_999),
                               ("bytes=-100", len(content) - 100, len(content) - 1),
                               ("bytes=10239900-", 10_239_900, len(content) - 1)):  # fmt: skip
        response = client.get(url, HTTP_RANGE=wanted)
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes {start}-{end}/{len(content)}"
        assert response["Content-Length"] == str(end - start + 1)
        assert b"".join(response.streaming_content) == content[start : end + 1]
    assert fetched == [1000, 100, 100]  # never the whole object for a part of it
    assert len(heads) == 3  # one look at its size and date per request
    assert response["Last-Modified"]

    beyond = client.get(url, HTTP_RANGE=f"bytes={len(content)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(content)}"
    assert fetched == [1000, 100, 100]  # refused without a GET
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == content
    assert fetched[-1] == len(content)


def test_a_logo_is_stored_clean_served_by_us_and_gone_when_taken_down(client, s3_media):
    logo = SimpleUploadedFile("logo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/en/submit/endorse/", {**endorsement_data(), "logo": logo})
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    key = f"submissions/{endorsement.logo}"
    assert s3_media.names(s3_media.public) == [key] and key.startswith("submissions/logos/")
    stored = s3_media.read(s3_media.public, key)
    assert b"Sneakycam" not in stored
    assert client.get(endorsement.logo_url()).status_code == 404  # not public yet
    publish(endorsement)
    served = client.get(endorsement.logo_url())
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    endorsement.withdraw(make_moderator("mod2", "mod2@example.org"), "Asked by the union.")
    assert s3_media.names(s3_media.public) == []


def test_report_photos_are_stored_served_and_deleted_when_taken_down(client, s3_media):
    photo = SimpleUploadedFile("picket.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/en/submit/report/", {**report_data(), "photos": [photo]})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ActionReport.objects.get()
    [stored_photo] = report.photos.all()
    key = f"submissions/{stored_photo.file}"
    assert s3_media.names(s3_media.public) == [key]
    with Image.open(io.BytesIO(s3_media.read(s3_media.public, key))) as image:
        assert not image.getexif()
    publish(report)
    served = client.get(stored_photo.url())
    assert b"".join(served.streaming_content) == s3_media.read(s3_media.public, key)
    # A published report is taken down (a refusal is for what still waits: decide() refuses
    # to decide again on what was decided).
    report.withdraw(make_moderator("mod2", "mod2@example.org"), "No.")
    assert s3_media.names(s3_media.public) == []


def test_a_hosted_actions_report_photos_live_in_the_bucket_until_refused(client, s3_media):
    action = hosted()
    action.approve()
    report = HostedReport.objects.create(hosted_action=action, participants=12, text="Rain.")
    from picketline.events.models.hosted import ReportPhoto, strip_metadata

    photo = ReportPhoto.store(report, strip_metadata(photo_with_location())[0])
    assert s3_media.names(s3_media.public) == [photo.image.name]
    assert photo.image.name.startswith("events/reports/")
    moderators = organiser()
    served = moderators.get(f"/en/events/hosted/photo/{photo.pk}.jpg")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == s3_media.read(s3_media.public, photo.image.name)
    moderators.post(f"/en/events/organise/hosted/reports/{report.pk}/", {"decision": "reject"})
    assert s3_media.names(s3_media.public) == []


def test_files_no_row_names_are_swept_from_both_buckets_after_an_hour(s3_media):
    from django.core.files.storage import storages

    kept = Endorsement.objects.create(
        organisation="Kept", country="Germany", kind="union", logo="logos/kept.png"
    )
    public_files().save(f"submissions/{kept.logo}", ContentFile(b"kept"))
    public_files().save("submissions/photos/stray.png", ContentFile(b"stray"))
    storages["private"].save("originals/stray.mov", ContentFile(b"stray"))
    assert orphans.delete_unreferenced() == 0  # too young: a request may be in flight
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert orphans.delete_unreferenced() == 2
    assert s3_media.names(s3_media.public) == ["submissions/logos/kept.png"]
    assert s3_media.names(s3_media.private) == []
