"""A video whose original file is gone while its storage answers (the private folder is there
and holds other files, or S3 answers 404 for the object) cannot be made later: it fails at the
first try, the sender is told once that it will not be shown, and the organisers see why in the
administration. Only a storage that is away (its folder missing, empty as an unmounted volume,
S3 unreachable) leaves the video queued for another try."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from picketline.jobs.worker import drain
from picketline.submissions.models import VideoMessage, private_files

from .test_a_video_whose_storage_was_away import (
    admin_page,
    approve_upload,
    on_the_videos_page,
    sent_to_the_sender,
    storage_away,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.django_db(transaction=True)


def assert_failed_at_once(video: VideoMessage, reason: str) -> None:
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == 1
    assert video.processing_retry_at is None
    assert not on_the_videos_page(video)
    assert sent_to_the_sender(video) == ["video_not_published"]
    assert reason in admin_page(video)


def assert_queued_again(video: VideoMessage) -> None:
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.QUEUED
    assert video.processing_retry_at is not None
    assert sent_to_the_sender(video) == []


def test_an_original_gone_from_the_private_folder_fails_at_once(
    media_dirs, gps_video, tmp_path, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    (media_dirs[1] / video.original).rename(media_dirs[1] / "originals" / "another.mov")

    drain()

    assert_failed_at_once(video, "FileNotFoundError")


def test_a_private_folder_that_is_not_there_leaves_the_video_queued(
    media_dirs, gps_video, tmp_path, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    media_dirs[1].rename(tmp_path / "elsewhere")  # the volume went away

    drain()

    assert_queued_again(video)
    assert "FileNotFoundError" in video.processing_error, video.processing_error


def test_an_empty_private_folder_is_taken_for_a_volume_not_mounted(
    media_dirs, gps_video, tmp_path, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    media_dirs[1].rename(tmp_path / "elsewhere")
    media_dirs[1].mkdir()  # the bare mount point

    drain()

    assert_queued_again(video)


def test_an_s3_answer_no_such_key_fails_at_once(
    storage_away,  # noqa: F811
    gps_video,
    django_capture_on_commit_callbacks,
):
    storage_away.append(
        ClientError(
            {
                "Error": {"Code": "NoSuchKey", "Message": "The specified key does not exist."},
                "ResponseMetadata": {"HTTPStatusCode": 404},
            },
            "GetObject",
        )
    )
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)

    drain()

    assert_failed_at_once(video, "NoSuchKey")


def test_an_original_gone_from_its_bucket_fails_at_once(
    s3_media, gps_video, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    s3_media.client.delete_object(Bucket=s3_media.private, Key=video.original)
    assert private_files().exists(video.original) is False

    drain()

    assert_failed_at_once(video, "FileNotFoundError")
