"""The erasure at the campaign's end tells the video moderators of every published video it took
down, one mail a batch. A worker killed (kill -9) in the middle of a batch, after some people's
erasure was committed and before the batch's mail was queued, loses nothing: the next run tells
of the videos the killed one took down, and erases and tells of the rest; nobody's mail is left
behind in the outbox."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import Decision, Status, VideoMessage
from picketline.supporters import retention
from picketline.supporters.models import Supporter, mail_to
from tests.fixtures.concurrency import process_env

from .helpers import make_moderator, make_video_message, supporter

ROOT = Path(__file__).resolve().parents[2]
KIND = "videos_gone_at_campaign_end"

# A worker of its own shares the test's database: only PostgreSQL's test database is one.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Erases as the daily job does, and is killed with SIGKILL as soon as the first person's
# erasure is committed: no ``finally``, no on-commit callback, nothing after it runs.
KILLED_AFTER_THE_FIRST_ERASURE = textwrap.dedent(
    """
    import os, signal
    from datetime import date

    import django

    django.setup()
    from django.conf import settings

    from picketline.supporters import retention
    from picketline.supporters.models import Supporter

    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2024-04-30"
    settings.SUPPORTERS_RETENTION_MONTHS = 24
    erase = Supporter.erase


    def erase_and_be_killed(self, *args, **kwargs):
        erase(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)


    Supporter.erase = erase_and_be_killed
    retention.erase_after_campaign(today=date(2026, 4, 30), batch=10)
    """
)


def worker_env() -> dict[str, str]:
    return process_env()


def published_video(email: str, name: str) -> VideoMessage:
    video = make_video_message(supporter=supporter(email, name))
    video.confirm()
    video.decide(make_moderator(), Decision.Action.APPROVE)
    return video


def test_a_worker_killed_mid_batch_loses_no_notice_and_leaves_no_mail(settings):
    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2024-04-30"
    settings.SUPPORTERS_RETENTION_MONTHS = 24
    moderator = make_moderator()
    videos = [published_video(f"ana{n}@example.org", f"Ana {n}") for n in (1, 2, 3)]
    senders = [video.supporter.email for video in videos]
    assert all(mail_to([email]) for email in senders)  # each was told of the approval
    supporters = Supporter.objects.count()

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_THE_FIRST_ERASURE],
        env=worker_env(),
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9

    # The first person is erased, the others not yet; none of the erased one's mail is left.
    for video in videos:
        video.refresh_from_db()
    assert videos[0].status == Status.WITHDRAWN and videos[0].supporter is None
    assert Supporter.objects.count() == supporters - 1
    assert mail_to([senders[0]]) == []

    assert retention.erase_after_campaign(today=date(2026, 4, 30), batch=10) == supporters - 1

    assert Supporter.objects.count() == 0
    assert all(mail_to([email]) == [] for email in senders)
    told = "\n".join(
        message.body_text
        for message in OutgoingMessage.objects.filter(kind=KIND)
        if moderator.email in message.recipients()
    )
    for video in videos:
        assert told.count(f"#{video.pk}, published on") == 1, video.pk
