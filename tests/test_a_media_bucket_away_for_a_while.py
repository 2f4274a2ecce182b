"""The object storage holding uploads (S3) away while a supporter sends a video: refused, or
taking connections and never answering. The supporter is told at once, in a page that asks
them to send it again, well before the web server would kill the request (and the proxy in
front answer a bare 502); nothing is stored for a moderator to find."""

from __future__ import annotations

import socket
import time

import pytest
from django.test import Client

from picketline.lib.media_storage import media_storages
from picketline.submissions.models import VideoMessage
from picketline.supporters.models import Supporter
from tests.submissions.helpers import make_video
from tests.submissions.test_videos import form_data, upload

pytestmark = pytest.mark.django_db

GUNICORN_TIMEOUT = 60  # picketline serve's --timeout: a request past it is killed


def point_media_at(settings, tmp_path, endpoint: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SUBMISSIONS_PRIVATE_ROOT = tmp_path / "private"
    environ = {
        "MEDIA_S3_BUCKET": "published",
        "MEDIA_S3_PRIVATE_BUCKET": "originals",
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "eu-central-1",
        "MEDIA_S3_ACCESS_KEY_ID": "picketline-tests",
        "MEDIA_S3_SECRET_ACCESS_KEY": "picketline-tests-secret",
        "MEDIA_S3_ADDRESSING_STYLE": "path",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages(settings.SUBMISSIONS_PRIVATE_ROOT, environ=environ),
    }


def send_video(tmp_path) -> tuple[object, float]:
    visitor = Client(raise_request_exception=False)  # as a browser sees it
    data = {**form_data(), "video": upload(make_video(tmp_path / "clip.mov"))}
    started = time.monotonic()
    response = visitor.post("/en/submit/video/", data)
    return response, time.monotonic() - started


def assert_told_to_send_again_and_nothing_kept(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "What you sent may not have reached us: please send it again then." in page
    assert "ana@example.org" not in page and "Traceback" not in page
    assert not VideoMessage.objects.exists()
    assert not Supporter.objects.exists()


def test_a_bucket_that_refuses_connections_asks_the_supporter_to_send_again(settings, tmp_path):
    point_media_at(settings, tmp_path, "http://127.0.0.1:9")  # nothing listens there
    response, _took = send_video(tmp_path)
    assert_told_to_send_again_and_nothing_kept(response)


def test_a_bucket_that_never_answers_is_given_up_on_before_the_request_is_killed(
    settings, tmp_path
):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # connections are taken, nothing is ever read or answered
        point_media_at(settings, tmp_path, f"http://127.0.0.1:{silent.getsockname()[1]}")
        response, took = send_video(tmp_path)
    assert took < GUNICORN_TIMEOUT - 15
    assert_told_to_send_again_and_nothing_kept(response)
