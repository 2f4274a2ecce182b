"""A hosted report's photo whose file outlived its row (a deletion that failed when the host
erased their data, a report deleted by a cascade) goes with the hourly sweep of files no row
refers to; a photo a report shows, and one stored a moment ago, stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from picketline.events.models import HostedAction, HostedReport, ReportPhoto
from picketline.web import orphans
from tests.events.helpers import hosted_action
from tests.fixtures.media import use_media_folders
from tests.submissions.helpers import png_bytes

pytestmark = pytest.mark.django_db


class RefusingDeletes(FileSystemStorage):
    """A disk that keeps its files: every deletion fails."""

    def delete(self, name: str) -> None:
        raise PermissionError(f"read-only: {name}")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return use_media_folders(settings, tmp_path)


def report_with_photo(**fields) -> tuple[HostedReport, Path]:
    action = hosted_action(**fields)
    report = HostedReport.objects.create(hosted_action=action, participants=9, text="We stood.")
    return report, Path(ReportPhoto.store(report, png_bytes()).image.path)


def an_hour_and_more_ago(*paths: Path) -> None:
    then = time.time() - 3700
    for path in paths:
        os.utime(path, (then, then))


def test_an_old_photo_no_report_names_goes_and_a_named_or_fresh_one_stays():
    _shown, named = report_with_photo()
    gone, unnamed = report_with_photo(host_email="other@example.org")
    HostedAction.objects.filter(pk=gone.hosted_action_id).delete()  # the report cascades
    fresh_report, fresh = report_with_photo(host_email="third@example.org")
    HostedReport.objects.filter(pk=fresh_report.pk).delete()
    an_hour_and_more_ago(named, unnamed)

    assert orphans.delete_unreferenced() == 1
    assert [named.exists(), unnamed.exists(), fresh.exists()] == [True, False, True]


def test_an_erased_host_s_photo_the_disk_refused_to_delete_goes_with_the_sweep(
    settings, media, django_capture_on_commit_callbacks
):
    report, photo = report_with_photo()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.RefusingDeletes",
            "OPTIONS": {"location": str(media[0])},
        },
    }
    with django_capture_on_commit_callbacks(execute=True):  # the deletion fails, logged
        report.hosted_action.supporter.erase()
    assert not ReportPhoto.objects.exists() and photo.exists()

    use_media_folders(settings, media[0].parent)  # the disk takes deletions again
    an_hour_and_more_ago(photo)
    assert orphans.delete_unreferenced() == 1
    assert not photo.exists()
