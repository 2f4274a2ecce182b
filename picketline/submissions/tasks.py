"""Background work for submissions (Django tasks; `picketline worker` runs them)."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def process_video(video_id: int) -> str:
    """Re-encode an approved video for the web; safe to run twice (the second run finds it done)."""
    from picketline.submissions.models import VideoMessage

    video = VideoMessage.objects.filter(pk=video_id).first()
    if video is None:
        return "gone"
    return video.process()
