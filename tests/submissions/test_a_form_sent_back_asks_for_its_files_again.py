"""No file is kept from a form sent back with a mistake: every file field that had one says so
beside it (the logo, the photos, the video and its captions), in the reader's language, and the
top of the form links the first field in error, as the page orders them."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from picketline.submissions.models import ActionReport, Endorsement, VideoMessage

from .helpers import files_under, png_bytes
from .test_captions import CAPTIONS, vtt
from .test_endorsements_and_reports import endorsement_data, report_data
from .test_videos import FORM as VIDEO_FORM
from .test_videos import form_data as video_data
from .test_videos import upload

pytestmark = pytest.mark.django_db

ONE_FILE = "Please choose the file again"
SEVERAL = "Please choose the files again"


def errors_of(page: str, field: str) -> str:
    """What the page says beside a field, or "" when nothing."""
    found = re.search(rf'<div id="id_{field}_error">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


def summary_link(page: str) -> str:
    (link,) = re.findall(
        r'<div class="form-errors" role="alert"[^>]*>.*?href="#([^"]+)"', page, re.S
    )
    return link


def logo() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", ONE_FILE),
        ("ru", "выберите файл ещё раз"),
        ("be", "выберыце файл яшчэ раз"),
        ("de", "Bitte wählen Sie die Datei noch einmal aus"),
    ],
)
def test_an_endorsement_sent_back_asks_for_its_logo_again(client, media_dirs, language, said):
    response = client.post(
        f"/{language}/submit/endorse/", {**endorsement_data(email="not an address"), "logo": logo()}
    )

    page = response.content.decode()
    assert said in errors_of(page, "logo")
    assert Endorsement.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_an_endorsement_sent_back_without_a_logo_asks_for_none(client, media_dirs):
    page = client.post("/en/submit/endorse/", endorsement_data(email="x")).content.decode()

    assert errors_of(page, "logo") == ""
    assert ONE_FILE not in page


def test_a_logo_refused_for_itself_says_why_and_nothing_more(client, media_dirs):
    bad = SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")
    page = client.post("/en/submit/endorse/", {**endorsement_data(), "logo": bad}).content.decode()

    assert errors_of(page, "logo")
    assert ONE_FILE not in errors_of(page, "logo")


def test_the_endorsement_summary_links_the_organisation_before_the_contact(client, media_dirs):
    data = endorsement_data(organisation="", email="not an address")

    page = client.post("/en/submit/endorse/", data).content.decode()

    assert summary_link(page) == "id_organisation"


def test_a_report_sent_back_asks_for_its_photos_again(client, media_dirs):
    photos = [SimpleUploadedFile(f"p{i}.png", png_bytes()) for i in range(2)]

    response = client.post("/ru/submit/report/", {**report_data(title=""), "photos": photos})

    page = response.content.decode()
    assert "выберите файлы ещё раз" in errors_of(page, "photos")
    assert summary_link(page) == "id_title"
    assert ActionReport.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_a_video_sent_back_asks_for_the_video_and_its_captions_again(client, gps_video, media_dirs):
    data = {
        **video_data(email="not an address"),
        "video": upload(gps_video),
        "captions": vtt(CAPTIONS),
    }

    page = client.post(VIDEO_FORM, data).content.decode()

    assert ONE_FILE in errors_of(page, "video")
    assert ONE_FILE in errors_of(page, "captions")
    assert VideoMessage.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_captions_sent_with_a_link_are_asked_for_again(client, media_dirs):
    data = {
        **video_data(email="not an address", link="https://video.example/x"),
        "captions": vtt(CAPTIONS),
    }

    page = client.post(VIDEO_FORM, data).content.decode()

    assert ONE_FILE in errors_of(page, "captions")
    assert errors_of(page, "video") == ""
