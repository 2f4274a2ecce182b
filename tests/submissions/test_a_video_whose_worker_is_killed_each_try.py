"""A video whose making kills its worker each time (ffmpeg makes the machine run out of memory,
the worker is killed with SIGKILL mid-try) is not queued again for ever: each try is counted
when it begins, committed before the work, so a killed try counts too; after as many tries as
a storage that stays away gets (``PROCESSING_TRIES``) the video has failed, its sender gets
the ``video_not_published`` mail once, and the organisers see the failure in the admin. An
ffmpeg that hangs is stopped after its time limit and the try fails, as a refused file does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from picketline.jobs.worker import drain
from picketline.submissions import housekeeping, media, storage
from picketline.submissions.models import PROCESSING_TRIES, Decision, VideoMessage
from tests.fixtures.concurrency import process_env

from .helpers import make_moderator, make_video_message
from .test_a_video_whose_storage_was_away import admin_page, on_the_videos_page

ROOT = Path(__file__).resolve().parents[2]

# The worker manages its own database connections: it needs real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


class Killed(BaseException):
    """What a SIGKILL leaves of a try: it neither returns nor raises an ``Exception``, and
    nothing after it (no ``except Exception``, no recording of the failure) runs."""


def approve_upload(path: Path, capture) -> VideoMessage:
    video = make_video_message(link="", original=storage.keep_original(str(path), "mov"))
    video.confirm()
    with capture(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    return video


def sent_to_the_sender(video: VideoMessage) -> list[str]:
    return [message.kind for message in video.supporter.messages()]


def test_a_video_that_kills_its_worker_each_try_fails_after_the_last(
    gps_video, monkeypatch, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # each try below is the task's body, run by hand

    def killed_mid_encoding(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(media, "transcode_video", killed_mid_encoding)
    now = timezone.now()
    for tried in range(1, PROCESSING_TRIES + 1):
        with time_machine.travel(now):
            with pytest.raises(Killed):
                VideoMessage.objects.get(pk=video.pk).process()
        video.refresh_from_db()
        assert video.processing_attempts == tried  # counted although the try never ended
        assert video.processing == VideoMessage.Processing.QUEUED
        assert sent_to_the_sender(video) == []
        now += timedelta(hours=3)  # longer than a try can last: it was interrupted
        with time_machine.travel(now):
            assert housekeeping.queue_stalled_videos() == 1

    began = []
    monkeypatch.setattr(media, "transcode_video", lambda *args: began.append(args))
    with time_machine.travel(now):
        drain()  # runs the task the periodic job queued

    video.refresh_from_db()
    assert began == []  # no sixth try
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == PROCESSING_TRIES
    assert "WorkerStopped" in video.processing_error
    assert sent_to_the_sender(video) == ["video_not_published"]
    assert not on_the_videos_page(video)
    page = admin_page(video)
    # The organisers see that it failed, after how many tries, and why.
    assert re.search(r"Processing:</label>\s*<div class=\"readonly\">failed<", page)
    assert re.search(r"Tries at the published copy:</label>\s*<div class=\"readonly\">5<", page)
    assert "WorkerStopped: the last of 5 tries never ended" in page

    # Never queued again, and the sender is told once, whatever runs later.
    with time_machine.travel(now + timedelta(days=7)):
        assert housekeeping.queue_stalled_videos() == 0
        VideoMessage.objects.get(pk=video.pk).process()
    assert began == []
    assert sent_to_the_sender(video) == ["video_not_published"]


def test_a_try_killed_after_storage_errors_counts_towards_the_same_limit(
    gps_video, monkeypatch, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()

    def storage_away(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(media, "transcode_video", storage_away)
    for _ in range(PROCESSING_TRIES - 1):
        assert VideoMessage.objects.get(pk=video.pk).process() == "tried again later"
    monkeypatch.setattr(media, "transcode_video", lambda *args: (_ for _ in ()).throw(Killed))
    with pytest.raises(Killed):
        VideoMessage.objects.get(pk=video.pk).process()

    assert VideoMessage.objects.get(pk=video.pk).process() == "tries ran out"
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == PROCESSING_TRIES
    assert sent_to_the_sender(video) == ["video_not_published"]


def test_an_ffmpeg_that_hangs_is_stopped_and_the_video_fails(
    gps_video, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()
    hanging = tmp_path / "ffmpeg"
    hanging.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\nexec sleep 600\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(media, "FFMPEG", str(hanging))
    monkeypatch.setattr(media, "ENCODE_TIMEOUT", 1)

    with pytest.raises(RuntimeError, match="ffmpeg took longer than 1 s"):
        VideoMessage.objects.get(pk=video.pk).process()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED  # at once: it would hang again
    assert video.processing_attempts == 1
    assert "ffmpeg took longer than 1 s and was stopped" in video.processing_error
    assert sent_to_the_sender(video) == ["video_not_published"]
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the hanging ffmpeg is gone, not left behind


# A real worker, killed with SIGKILL by the ffmpeg it runs (as the kernel's OOM killer would);
# the real ffprobe is used, only ``ffmpeg`` on the PATH is this one.
KILLS_ITS_WORKER = '#!/bin/sh\nkill -KILL "$PPID"\nexec sleep 5\n'

WORKER = textwrap.dedent(
    """
    import django

    django.setup()
    from picketline.jobs.worker import drain

    drain()
    """
)


def worker_env(bin_dir: Path) -> dict[str, str]:
    return process_env(
        # The test's own media folders (``media_dirs``).
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PICKETLINE_PRIVATE_MEDIA_ROOT=str(settings.SUBMISSIONS_PRIVATE_ROOT),
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    )


def run_worker(bin_dir: Path) -> int:
    return subprocess.run(
        [sys.executable, "-c", WORKER], env=worker_env(bin_dir), cwd=ROOT, timeout=120
    ).returncode


def age_the_try(video: VideoMessage) -> None:
    """Move the try's start back past what a try can last (the periodic job then sees it)."""
    VideoMessage.objects.filter(pk=video.pk).update(
        processing_since=timezone.now() - timedelta(hours=3)
    )


# A worker of its own shares the test's database: only PostgreSQL's test database is one.
@pytest.mark.postgres
def test_a_worker_killed_by_ffmpeg_each_try_gives_up_after_the_last(
    gps_video, tmp_path, django_capture_on_commit_callbacks
):
    ffmpeg = tmp_path / "ffmpeg"
    ffmpeg.write_text(KILLS_ITS_WORKER)
    ffmpeg.chmod(0o755)
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)

    for tried in range(1, PROCESSING_TRIES + 1):
        assert run_worker(tmp_path) == -9  # killed mid-try by its ffmpeg
        video.refresh_from_db()
        assert video.processing == VideoMessage.Processing.QUEUED
        assert video.processing_attempts == tried
        age_the_try(video)
        assert housekeeping.queue_stalled_videos() == 1

    assert run_worker(tmp_path) == 0  # no try began, so nothing killed it
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert video.processing_attempts == PROCESSING_TRIES
    assert sent_to_the_sender(video) == ["video_not_published"]
    age_the_try(video)
    assert housekeeping.queue_stalled_videos() == 0


def test_a_last_try_taken_for_killed_while_it_runs_publishes_nothing_after_the_failure_mail(
    gps_video, monkeypatch, django_capture_on_commit_callbacks
):
    """The last try outlasts what a try may last; housekeeping queues the video again, and that
    task, finding no try left, fails it and tells the sender it is not shown. The slow try then
    ends: the sender must not get "it is now on the site" after "it is not shown there", and the
    site must not show it (before, it did both)."""
    video = approve_upload(gps_video, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # the tries below are the task's body, run by hand
    VideoMessage.objects.filter(pk=video.pk).update(processing_attempts=PROCESSING_TRIES - 1)
    encode = media.transcode_video
    second = []

    def slow_encoding(*args):
        # While this try encodes, the task queued again for the video runs.
        second.append(VideoMessage.objects.get(pk=video.pk).process())
        return encode(*args)

    monkeypatch.setattr(media, "transcode_video", slow_encoding)
    assert VideoMessage.objects.get(pk=video.pk).process() == "failed meanwhile"

    assert second == ["tries ran out"]
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    assert not video.video and not video.poster
    assert sent_to_the_sender(video) == ["video_not_published"]
    assert not on_the_videos_page(video)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.mp4"))  # the copy it made is gone
