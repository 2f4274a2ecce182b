"""Deleting what is no longer needed: old originals, withdrawn videos, unconfirmed submissions
and files no row refers to."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from picketline.submissions.models import (
    SUBMISSION_MODELS,
    ReportPhoto,
    VideoMessage,
    media_root,
    private_root,
)
from picketline.supporters.models import Consent

# A file younger than this may belong to a request still in flight.
ORPHAN_GRACE = timedelta(hours=1)


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


def referenced_files() -> set[Path]:
    names: set[Path] = set()
    for video in VideoMessage.objects.values_list("original", "video", "poster"):
        original, published, poster = video
        if original:
            names.add(private_root() / original)
        names.update(media_root() / name for name in (published, poster) if name)
    from picketline.submissions.models import Endorsement

    names.update(media_root() / n for n in Endorsement.objects.values_list("logo", flat=True) if n)
    names.update(media_root() / n for n in ReportPhoto.objects.values_list("file", flat=True))
    return names


def delete_orphan_files() -> int:
    keep = referenced_files()
    oldest = time.time() - ORPHAN_GRACE.total_seconds()
    done = 0
    for root in (private_root(), media_root()):
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file() and path not in keep and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
                done += 1
    return done
