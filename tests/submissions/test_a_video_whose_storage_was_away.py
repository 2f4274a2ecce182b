"""An approved video whose published copy could not be made because the storage was away for a
while (S3 unreachable or too slow, a 5xx, a local volume full or unmounted) is made later: it
stays queued, is tried again after a wait, a bounded number of times, and is published once the
storage is back. Only when the tries run out has it failed, as a video ffmpeg refuses fails at
once. Meanwhile the sender is told nothing (in particular not that it failed, nor that it is
on the site): the approval mail goes when it is on the site, and a mail saying it could not be
shown when it failed. The organisers see the tries and the last error in the administration."""

from __future__ import annotations

import errno
import re
from datetime import timedelta

import pytest
import time_machine
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from picketline.jobs.worker import drain
from picketline.submissions import housekeeping, storage
from picketline.submissions.models import PROCESSING_TRIES, Decision, VideoMessage
from tests.fixtures.accounts import login_verified

from .helpers import make_moderator, make_video_message

# The worker manages its own database connections: it needs real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

AWAY = {
    "S3 unreachable": EndpointConnectionError(endpoint_url="https://s3.example.net"),
    "S3 too slow": ReadTimeoutError(endpoint_url="https://s3.example.net"),
    "S3 answers 503": ClientError(
        {
            "Error": {"Code": "ServiceUnavailable", "Message": "Please try again"},
            "ResponseMetadata": {"HTTPStatusCode": 503},
        },
        "GetObject",
    ),
    "volume full": OSError(errno.ENOSPC, "No space left on device"),
    "volume gone": OSError(errno.EIO, "Input/output error"),
}


class AwayStorage(FileSystemStorage):
    """Local disk that fails to open a file while ``errors`` holds some, one each time."""

    errors: list[Exception | type[Exception]] = []

    def open(self, name, mode="rb"):
        if self.errors:
            error = self.errors.pop(0)
            raise error() if isinstance(error, type) else error
        return super().open(name, mode)


@pytest.fixture
def storage_away(settings):
    """Originals kept in a storage that fails for as long as its errors last."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "BACKEND": f"{__name__}.AwayStorage"},
    }
    AwayStorage.errors = []
    yield AwayStorage.errors
    AwayStorage.errors = []


def approve_upload(path, django_capture_on_commit_callbacks) -> VideoMessage:
    video = make_video_message(link="", original=storage.keep_original(str(path), "mov"))
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    return video


def sent_to_the_sender(video: VideoMessage) -> list[str]:
    return [message.kind for message in video.supporter.messages()]


def on_the_videos_page(video: VideoMessage) -> bool:
    return (
        reverse("submissions:video", args=[video.pk])
        in Client().get(reverse("submissions:videos")).content.decode()
    )


def admin_page(video: VideoMessage) -> str:
    organiser = Client()
    login_verified(organiser, make_moderator())
    page = organiser.get(f"/admin/submissions/videomessage/{video.pk}/change/")
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("away", AWAY.values(), ids=AWAY.keys())
def test_a_video_is_published_once_the_storage_is_back(
    away, storage_away, gps_video, django_capture_on_commit_callbacks
):
    storage_away.append(away)
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    assert sent_to_the_sender(video) == []  # not on the site yet: nothing says it is

    drain()  # the first try meets the storage away

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.QUEUED  # not failed
    assert video.processing_attempts == 1
    assert type(away).__name__ in video.processing_error
    assert not on_the_videos_page(video)
    assert sent_to_the_sender(video) == []  # nothing, and nothing says "failed"
    assert "fail" not in str(video.supporter.personal_data()).lower()

    # Not tried again at once: after a wait, by the worker's periodic job.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert housekeeping.queue_stalled_videos() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert housekeeping.queue_stalled_videos() == 1
        drain()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.DONE
    assert on_the_videos_page(video)
    assert sent_to_the_sender(video) == ["submission_approved"]  # now it is on the site
    page = admin_page(video)
    assert re.search(r"Tries at the published copy:</label>\s*<div class=\"readonly\">2<", page)
    assert type(away).__name__ in page  # the last error, for the organisers


def test_a_storage_that_stays_away_fails_the_video_after_the_last_try(
    storage_away, gps_video, django_capture_on_commit_callbacks
):
    storage_away.extend([AWAY["S3 answers 503"]] * 100)
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    drain()

    now = timezone.now()
    waits = []
    for _ in range(PROCESSING_TRIES - 1):
        video.refresh_from_db()
        assert video.processing == VideoMessage.Processing.QUEUED
        waits.append(video.processing_retry_at - now)
        now = video.processing_retry_at
        with time_machine.travel(now):
            assert housekeeping.queue_stalled_videos() == 1
            drain()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == PROCESSING_TRIES
    assert "ServiceUnavailable" in video.processing_error
    assert waits == sorted(waits) and waits[0] < waits[-1]  # each wait longer than the last
    with time_machine.travel(now + timedelta(days=7)):
        assert housekeeping.queue_stalled_videos() == 0  # never tried again
    assert not on_the_videos_page(video)
    assert sent_to_the_sender(video) == ["video_not_published"]  # told once, at the end
    assert "ServiceUnavailable" in admin_page(video)


def test_a_file_ffmpeg_refuses_fails_at_once(
    storage_away, tmp_path, django_capture_on_commit_callbacks
):
    not_a_video = tmp_path / "not-a-video.mov"
    not_a_video.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"nonsense" * 100)
    video = approve_upload(not_a_video, django_capture_on_commit_callbacks)

    drain()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == 1
    assert "ffmpeg failed" in video.processing_error
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert housekeeping.queue_stalled_videos() == 0
    assert sent_to_the_sender(video) == ["video_not_published"]


def test_a_try_failing_after_another_made_the_copy_leaves_the_video_published(
    storage_away, gps_video, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)

    class OtherTryFirst(Exception):
        """While a try reads the original, another one makes the copy; then this one fails."""

        def __init__(self):
            drain()  # the other try, queued again: it makes the copy
            assert on_the_videos_page(video)
            super().__init__("the copy was cut short")

    storage_away.append(OtherTryFirst)
    with pytest.raises(OtherTryFirst):
        VideoMessage.objects.get(pk=video.pk).process()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.DONE
    assert on_the_videos_page(video)


class GoneMidCopy(FileSystemStorage):
    """The public storage goes away after the video file is stored: the poster and the
    clean-up of the video file both fail."""

    def save(self, name, content, max_length=None):
        if name.startswith("submissions/posters/"):
            raise EndpointConnectionError(endpoint_url="https://s3.example.net")
        return super().save(name, content, max_length)

    def delete(self, name):
        raise EndpointConnectionError(endpoint_url="https://s3.example.net")


def test_a_storage_gone_mid_copy_still_records_the_try(
    settings, gps_video, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "BACKEND": f"{__name__}.GoneMidCopy"},
    }

    assert video.process() == "tried again later"

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.QUEUED
    assert video.processing_retry_at is not None  # a wait, not the stalled check's two hours
    assert "EndpointConnectionError" in video.processing_error
