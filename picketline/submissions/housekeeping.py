"""Deleting what is no longer needed: old originals, withdrawn videos, unconfirmed submissions
and files no row refers to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils import timezone

from picketline.submissions.models import (
    PUBLIC_FOLDER,
    SUBMISSION_MODELS,
    ReportPhoto,
    VideoMessage,
    public_name,
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


def referenced_files() -> set[tuple[str, str]]:
    """(storage alias, name) of every file a row refers to."""
    names: set[tuple[str, str]] = set()
    for original, published, poster in VideoMessage.objects.values_list(
        "original", "video", "poster"
    ):
        if original:
            names.add(("private", original))
        names.update(("default", public_name(name)) for name in (published, poster) if name)
    from picketline.submissions.models import Endorsement

    logos = Endorsement.objects.exclude(logo="").values_list("logo", flat=True)
    names.update(("default", public_name(name)) for name in logos)
    photos = ReportPhoto.objects.values_list("file", flat=True)
    names.update(("default", public_name(name)) for name in photos)
    return names


def stored_names(storage: Storage, folder: str) -> Iterator[str]:
    """Every file under ``folder`` of a storage (its whole tree)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from stored_names(storage, prefix + sub)


def delete_orphan_files() -> int:
    keep = referenced_files()
    oldest = timezone.now() - ORPHAN_GRACE
    done = 0
    # The private storage's whole tree (on disk that includes uploads left by a broken request),
    # and the submissions' folder of the public one (the events app keeps its photos there too).
    for alias, folder in (("private", ""), ("default", PUBLIC_FOLDER)):
        storage = storages[alias]
        for name in list(stored_names(storage, folder)):
            if (alias, name) in keep:
                continue
            try:
                if storage.get_modified_time(name) >= oldest:
                    continue
            except FileNotFoundError:
                continue
            storage.delete(name)
            done += 1
    return done
