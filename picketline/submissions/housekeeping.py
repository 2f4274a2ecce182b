"""Deleting what is no longer needed: old originals, withdrawn videos, unconfirmed submissions;
and the names of the files rows refer to, for the sweep of files no row names (``web.orphans``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from picketline.submissions.models import (
    SUBMISSION_MODELS,
    Endorsement,
    ReportPhoto,
    VideoMessage,
    public_name,
)
from picketline.submissions.tasks import process_video
from picketline.supporters.models import Consent


def delete_old_originals(now=None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUBMISSIONS_KEEP_ORIGINALS_DAYS)
    done = 0
    for video in VideoMessage.objects.filter(
        processing=VideoMessage.Processing.DONE, processed_at__lte=cutoff
    ).exclude(original=""):
        video.delete_original()
        done += 1
    return done


def queue_stalled_videos(now=None) -> int:
    """Queue again the approved videos whose published copy a killed worker left unmade (the
    tasks queue never runs again a task its worker left running) or whose task was never
    queued. Each is claimed by a conditional update, so two workers queue it once; a second
    task for a video finds it made. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for pk, since in VideoMessage.objects.processing_stalled(now).values_list(
        "pk", "processing_since"
    ):
        claimed = VideoMessage.objects.filter(pk=pk, processing_since=since).update(
            processing_since=now
        )
        if claimed:
            process_video.enqueue(pk)
            queued += 1
    return queued


def take_down_after_withdrawal(consent: Consent) -> None:
    """Registered with ``supporters.withdrawal``: the sender withdrew the consent to publish
    their face and voice, so the video comes down and its files go, in that same transaction."""
    video = VideoMessage.objects.filter(pk=consent.action_id).consent_withdrawn().first()
    if video is not None:
        video.withdraw()


def take_down_withdrawn_consents() -> int:
    done = 0
    for video in VideoMessage.objects.confirmed().consent_withdrawn():
        video.withdraw()
        done += 1
    return done


def delete_unconfirmed(now=None) -> int:
    from picketline.supporters.flow import unconfirmed_lifetime

    cutoff = (now or timezone.now()) - unconfirmed_lifetime()
    done = 0
    for model in SUBMISSION_MODELS:
        for item in model.objects.unconfirmed().filter(created_at__lt=cutoff):
            item.delete()
            done += 1
    return done


def originals_referenced() -> Iterable[str]:
    """Names in the private storage that rows refer to (``web.orphans`` keeps them)."""
    return VideoMessage.objects.exclude(original="").values_list("original", flat=True)


def published_referenced() -> set[str]:
    """Names in the public storage that rows refer to: rows keep them without the
    ``submissions/`` folder, the storage with it (``public_name``)."""
    relative: set[str] = set()
    for published, poster in VideoMessage.objects.values_list("video", "poster"):
        relative.update((published, poster))
    relative.update(Endorsement.objects.values_list("logo", flat=True))
    relative.update(ReportPhoto.objects.values_list("file", flat=True))
    return {public_name(name) for name in relative if name}
