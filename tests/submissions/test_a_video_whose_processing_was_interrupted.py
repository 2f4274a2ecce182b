"""An approved video is published even when the worker making its copy was killed (SIGKILL, the
machine out of memory while ffmpeg ran, a restart) or the web process died before its task was
queued: django-tasks never runs again a task its worker left running, so the worker's periodic
job queues the video again once its try is older than any run can last."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from picketline.jobs.worker import drain
from picketline.submissions import housekeeping
from picketline.submissions.models import Decision, VideoMessage

from .helpers import make_moderator, make_video_message

# The worker manages its own database connections: it needs real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved_video(gps_video, django_capture_on_commit_callbacks):
    """An approved upload whose task was taken by a worker that was then killed."""
    from picketline.submissions import storage

    video = make_video_message(link="", original=storage.keep_original(str(gps_video), "mov"))
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    [task] = DBTaskResult.objects.all()
    task.claim("a-worker-killed-with-sigkill")  # RUNNING, and nobody will finish it
    return video


def test_a_video_left_by_a_killed_worker_is_published_later(approved_video):
    drain()
    approved_video.refresh_from_db()
    assert approved_video.processing == VideoMessage.Processing.QUEUED  # the task is stuck

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert housekeeping.queue_stalled_videos() == 1
        drain()
    approved_video.refresh_from_db()
    assert approved_video.processing == VideoMessage.Processing.DONE
    assert list(VideoMessage.objects.public()) == [approved_video]


def test_a_video_being_made_is_not_queued_twice(approved_video):
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert housekeeping.queue_stalled_videos() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert housekeeping.queue_stalled_videos() == 1
        assert housekeeping.queue_stalled_videos() == 0  # queued again once, not each run


def test_a_video_approved_when_its_task_was_never_queued_is_published_later(approved_video):
    # The web process died between the approval's commit and queueing the task.
    DBTaskResult.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        housekeeping.queue_stalled_videos()
        drain()
    approved_video.refresh_from_db()
    assert approved_video.processing == VideoMessage.Processing.DONE


def test_a_second_try_that_finishes_last_keeps_the_first_copy(approved_video, monkeypatch):
    from picketline.submissions import media

    transcode, kept = media.transcode_video, []

    def another_try_finishes_meanwhile(*args):
        monkeypatch.setattr(media, "transcode_video", transcode)
        assert VideoMessage.objects.get(pk=approved_video.pk).process() == "done"
        approved_video.refresh_from_db()
        kept.append((approved_video.video, approved_video.poster))
        return transcode(*args)

    # A try queued again that was already under way when the other one finished.
    monkeypatch.setattr(media, "transcode_video", another_try_finishes_meanwhile)
    assert VideoMessage.objects.get(pk=approved_video.pk).process() == "done already"
    approved_video.refresh_from_db()
    assert [(approved_video.video, approved_video.poster)] == kept
    # and one that begins after it finds the copy made before it begins
    assert VideoMessage.objects.get(pk=approved_video.pk).process() == "done already"


def test_the_worker_runs_it_as_a_periodic_job():
    from picketline.jobs.schedule import load_jobs

    assert "picketline.submissions.jobs.queue_stalled_videos" in load_jobs()
