"""The media's object storage (S3) answering 5xx, or unreachable, while a supporter sends
something or a file is served: the answer is the site's 503 page in the reader's language,
with Retry-After, not a 500; it is logged once, as a warning naming what was away (Django's
own error line with its traceback is left out); and nothing of what was sent is kept half: no
row names a file that was not stored, no confirmation mail goes. An answer that says the
request was wrong (a 4xx) is an error of ours and stays a 500. The same classification as the
video worker's (``submissions.storage.passes_by_itself``)."""

from __future__ import annotations

import logging

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from picketline.mail.models import OutgoingMessage
from picketline.submissions import storage
from picketline.submissions.models import ActionReport, ReportPhoto, VideoMessage
from picketline.supporters.models import Supporter

from .helpers import make_report, png_bytes
from .test_endorsements_and_reports import publish, report_data
from .test_videos import form_data, upload

pytestmark = pytest.mark.django_db


def s3_answers(status: int, code: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": "try later"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "PutObject",
    )


UNWELL = {
    "S3 answers 503": s3_answers(503, "ServiceUnavailable"),
    "S3 answers 500": s3_answers(500, "InternalError"),
    "S3 asks to slow down": s3_answers(503, "SlowDown"),
    "S3 unreachable": EndpointConnectionError(endpoint_url="https://s3.example.net"),
}


class UnwellStorage(FileSystemStorage):
    """Local disk that works for ``saves_that_work`` saves, then fails every save and open
    with ``error`` (while it is set)."""

    error: Exception | None = None
    saves_that_work = 0

    def save(self, name, content, max_length=None):
        if self.error is not None:
            if UnwellStorage.saves_that_work == 0:
                raise self.error
            UnwellStorage.saves_that_work -= 1
        return super().save(name, content, max_length=max_length)

    def open(self, name, mode="rb"):
        if self.error is not None:
            raise self.error
        return super().open(name, mode)


@pytest.fixture
def unwell(settings, media_dirs):
    """Both media storages unwell once ``unwell(error)`` is called."""
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            alias: {**settings.STORAGES[alias], "BACKEND": f"{__name__}.UnwellStorage"}
            for alias in ("default", "private")
        },
    }

    def go_away(error: Exception, saves_that_work: int = 0) -> None:
        UnwellStorage.error, UnwellStorage.saves_that_work = error, saves_that_work

    yield go_away
    go_away(None)


def as_a_browser() -> Client:
    return Client(raise_request_exception=False)


def assert_told_to_try_again(response, language: str = "en", posted: bool = True) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    with translation.override(language):
        wanted = [gettext("The site cannot answer right now. Please try again in a minute.")]
        if posted:
            wanted.append(
                gettext("What you sent may not have reached us: please send it again then.")
            )
    for sentence in wanted:
        assert sentence in page
    assert "Traceback" not in page


def assert_logged_once_as_a_warning(caplog, django_request_log, what: str) -> None:
    said = [r for r in caplog.records if r.name == "picketline.web.unavailable"]
    assert [r.levelno for r in said] == [logging.WARNING]
    assert "503" in said[0].getMessage() and what in said[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert django_request_log == []


@pytest.mark.parametrize("error", UNWELL.values(), ids=UNWELL.keys())
def test_a_video_sent_while_the_storage_is_unwell_asks_to_send_it_again(
    error, unwell, gps_video, caplog, django_request_log
):
    unwell(error)
    data = {**form_data(), "video": upload(gps_video)}
    with caplog.at_level(logging.WARNING):
        response = as_a_browser().post("/en/submit/video/", data)
    assert_told_to_try_again(response)
    assert_logged_once_as_a_warning(caplog, django_request_log, type(error).__name__)
    assert not VideoMessage.objects.exists()
    assert not Supporter.objects.exists()
    assert not OutgoingMessage.objects.exists()


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_a_report_whose_second_photo_is_not_stored_keeps_nothing(
    language, unwell, media_dirs, caplog, django_request_log
):
    unwell(UNWELL["S3 answers 503"], saves_that_work=1)  # the first photo is stored
    photos = [SimpleUploadedFile(f"p{i}.png", png_bytes()) for i in range(2)]
    data = {**report_data(language=language), "photos": photos}
    with caplog.at_level(logging.WARNING):
        response = as_a_browser().post(f"/{language}/submit/report/", data)
    assert_told_to_try_again(response, language)
    assert_logged_once_as_a_warning(caplog, django_request_log, "ServiceUnavailable, HTTP 503")
    assert not ActionReport.objects.exists()
    assert not ReportPhoto.objects.exists()  # none names a file, stored or not
    assert not Supporter.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_a_photo_served_while_the_storage_is_unwell_is_a_503(unwell, caplog, django_request_log):
    report = make_report()
    stored = storage.save_public("photos", png_bytes(), "png")
    report.photos.create(file=stored, width=40, height=30, position=0)
    publish(report)
    path = report.photos.get().url()
    assert as_a_browser().get(path).status_code == 200
    unwell(UNWELL["S3 answers 500"])
    with caplog.at_level(logging.WARNING):
        response = as_a_browser().get(path)
    assert_told_to_try_again(response, posted=False)
    assert_logged_once_as_a_warning(caplog, django_request_log, "InternalError, HTTP 500")


def test_a_storage_that_refuses_the_request_itself_is_an_error_of_ours(unwell, gps_video):
    unwell(s3_answers(403, "AccessDenied"))  # a wrong key or policy: no waiting mends it
    data = {**form_data(), "video": upload(gps_video)}
    response = as_a_browser().post("/en/submit/video/", data)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert not VideoMessage.objects.exists()
