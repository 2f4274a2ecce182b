"""Video messages: upload, refusal, approval, re-encoding, gallery, withdrawal."""

import subprocess
import tempfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from picketline.jobs.worker import drain
from picketline.mail.outbox import send_due
from picketline.submissions import housekeeping
from picketline.submissions.models import Decision, Status, VideoMessage
from picketline.supporters.models import Consent

from .helpers import files_under, make_moderator, make_video

pytestmark = pytest.mark.django_db

FORM = "/en/submit/video/"


def form_data(**fields):
    data = {
        "name": "Ana Example",
        "email": "ana@example.org",
        "country": "Germany",
        "language": "en",
        "text": "Free the union leaders!",
        "hashtags": "#FreeThem #UnionsAreNotExtremists",
        "display_name": "first_country",
        "face_voice": "on",
    }
    data.update(fields)
    return data


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


def post_video(client, path=None, **fields):
    data = form_data(**fields)
    if path is not None:
        data["video"] = upload(path, fields.pop("filename", None))
    return client.post(FORM, data)


def test_it_shows_the_form_with_the_face_and_voice_consent(client):
    page = client.get(FORM).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "face and voice" in page
    assert "200 MB" in page


def test_it_takes_an_upload_and_asks_to_confirm_by_mail(client, gps_video, media_dirs):
    response = post_video(client, gps_video)
    assert response.status_code == 302
    video = VideoMessage.objects.get()
    assert video.status == Status.PENDING and video.confirmed_at is None
    assert (video.public_name, video.public_country) == ("Ana", "DE")
    assert video.shown_name() == "Ana, Germany"
    assert video.hashtags == "#FreeThem #UnionsAreNotExtremists"
    consent = Consent.objects.get(purpose=Consent.Purpose.PUBLISH_FACE_VOICE)
    assert consent.action_id == video.pk
    # The original waits in the private folder, never under MEDIA_ROOT.
    media_root, private_root = media_dirs
    assert files_under(media_root) == []
    assert [p.name for p in files_under(private_root)] == [video.original.split("/")[-1]]
    send_due()
    assert "confirm" in mail.outbox[0].body.lower()


def test_it_requires_the_face_and_voice_consent(client, gps_video, media_dirs):
    data = form_data()
    del data["face_voice"]
    data["video"] = upload(gps_video)
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert VideoMessage.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_a_video_sent_with_a_mistake_in_the_form_is_asked_for_again(client, gps_video, media_dirs):
    data = form_data(email="not an address")
    data["video"] = upload(gps_video)
    response = client.post(FORM, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose the file again" in page
    assert files_under(*media_dirs) == []


def test_the_country_is_not_called_optional_where_it_may_be_needed(client):
    page = client.get(FORM).content.decode()
    assert "Country (optional)" not in page
    assert "Needed if your video is shown with your first name and country." in page
    response = client.post(FORM, form_data(country="", link="https://video.example/x"))
    assert "Please give your country" in response.content.decode()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"just some text, honestly\n" * 40, "not a video we can play"),
    ],
    ids=["empty", "text-named-mp4"],
)
def test_it_refuses_what_is_not_a_video(client, tmp_path, media_dirs, content, message):
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    response = post_video(client, path)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert VideoMessage.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_it_refuses_a_truncated_video_and_keeps_nothing(client, tmp_path, media_dirs):
    whole = make_video(tmp_path / "whole.mov", seconds=3)
    cut = tmp_path / "cut.mov"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    response = post_video(client, cut)
    assert response.status_code == 400
    assert "damaged or incomplete" in response.content.decode()
    assert files_under(*media_dirs) == []


def test_it_refuses_a_polyglot_and_keeps_nothing(client, gps_video, tmp_path, media_dirs):
    polyglot = tmp_path / "video.mp4"
    polyglot.write_bytes(gps_video.read_bytes() + b"<html><script>alert(1)</script></html>")
    response = post_video(client, polyglot)
    assert response.status_code == 400
    assert "something besides a video" in response.content.decode()
    assert files_under(*media_dirs) == []


def test_it_refuses_an_oversize_upload_while_it_streams(client, settings, gps_video, media_dirs):
    settings.SUBMISSIONS_VIDEO_MAX_BYTES = gps_video.stat().st_size // 2
    response = post_video(client, gps_video)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert VideoMessage.objects.count() == 0
    assert files_under(*media_dirs) == []


def test_nothing_is_public_before_confirmation_and_approval(client, gps_video):
    post_video(client, gps_video)
    video = VideoMessage.objects.get()
    moderator = make_moderator()
    assert VideoMessage.objects.public().count() == 0
    assert client.get(f"/en/submit/videos/{video.pk}/").status_code == 404
    assert client.get(video.video_url()).status_code == 404
    video.confirm()
    assert "Free the union leaders" not in client.get("/en/submit/videos/").content.decode()
    video.decide(moderator, Decision.Action.REQUEST_CHANGES, "Please shorten the text.")
    assert "Free the union leaders" not in client.get("/en/submit/videos/").content.decode()


# The worker manages its own database connections: it needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_after_approval_the_served_video_has_no_metadata(
    client, gps_video, tmp_path, media_dirs, django_capture_on_commit_callbacks
):
    post_video(client, gps_video)
    video = VideoMessage.objects.get()
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()  # the worker: re-encode, then mail
    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.DONE
    page = client.get("/en/submit/videos/").content.decode()
    assert f'src="{video.video_url()}"' in page and f'poster="{video.poster_url()}"' in page
    assert "<video" in page and "controls" in page
    assert "Ana, Germany" in page and "#FreeThem" in page

    response = client.get(video.video_url())
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    served = tmp_path / "served.mp4"
    served.write_bytes(b"".join(response.streaming_content))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", str(served)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    tags = "\n".join(line for line in probe.splitlines() if line.startswith("tag:"))
    for trace in ("52.5163", "013.3789", "sneakyphone", "embassy"):
        assert trace not in probe
    for key in ("creation_time", "location", "make", "model", "title", "iso6709"):
        assert key not in tags
    assert "codec_name=h264" in probe and "codec_name=aac" in probe
    # The moov atom comes first (faststart), so playback starts before the whole file arrives.
    head = served.read_bytes()[:200]
    assert head.find(b"moov") != -1 and head.find(b"moov") < max(head.find(b"mdat"), 10**6)

    partial = client.get(video.video_url(), HTTP_RANGE="bytes=0-99")
    assert partial.status_code == 206 and partial["Content-Range"].startswith("bytes 0-99/")
    assert client.get(video.poster_url())["Content-Type"] == "image/jpeg"


# The worker manages its own database connections: it needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_the_original_is_deleted_after_the_configured_time(
    client, gps_video, settings, media_dirs, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    settings.SUBMISSIONS_KEEP_ORIGINALS_DAYS = 3
    post_video(client, gps_video)
    video = VideoMessage.objects.get()
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()
    video.refresh_from_db()
    original = media_dirs[1] / video.original
    assert original.exists()
    assert housekeeping.delete_old_originals() == 0
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert housekeeping.delete_old_originals() == 1
    assert not original.exists()
    video.refresh_from_db()
    assert video.original == "" and video.is_playable


def test_rejection_deletes_the_upload_and_tells_the_sender_in_their_language(
    client, gps_video, media_dirs
):
    post_video(client, gps_video, language="ru")
    video = VideoMessage.objects.get()
    video.language = "ru"
    video.save()
    video.confirm()
    video.decide(make_moderator(), Decision.Action.REJECT, "Видео не про кампанию.")
    assert files_under(*media_dirs) == []
    send_due()
    rejection = mail.outbox[-1]
    assert rejection.to == ["ana@example.org"]
    assert "Видео не про кампанию." in rejection.body
    decision = Decision.objects.get(action=Decision.Action.REJECT)
    assert decision.moderator_name == "mod" and decision.reason == "Видео не про кампанию."


# The worker manages its own database connections: it needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_withdrawing_the_consent_takes_the_video_down_at_once(
    client, gps_video, media_dirs, django_capture_on_commit_callbacks
):
    post_video(client, gps_video)
    video = VideoMessage.objects.get()
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()
    assert client.get(video.video_url()).status_code == 200
    visitor = Client()  # anonymous: served from the page cache
    assert f"/en/submit/videos/{video.pk}/" in visitor.get("/en/submit/videos/").content.decode()
    Consent.objects.get(purpose=Consent.Purpose.PUBLISH_FACE_VOICE).withdraw()
    # Hidden at once, before any job has run, cached gallery included…
    assert client.get(video.video_url()).status_code == 404
    assert client.get(f"/en/submit/videos/{video.pk}/").status_code == 404
    assert (
        f"/en/submit/videos/{video.pk}/" not in visitor.get("/en/submit/videos/").content.decode()
    )
    # …and withdrawn with its files gone, without waiting for the job (which finds nothing).
    video.refresh_from_db()
    assert video.status == Status.WITHDRAWN
    assert files_under(*media_dirs) == []
    assert housekeeping.take_down_withdrawn_consents() == 0


# The worker manages its own database connections: it needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_erasing_the_supporter_removes_the_video_and_its_files(
    client, gps_video, media_dirs, django_capture_on_commit_callbacks
):
    post_video(client, gps_video)
    video = VideoMessage.objects.get()
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()
    video.refresh_from_db()
    video.supporter.erase()
    video.refresh_from_db()
    assert video.status == Status.WITHDRAWN and video.supporter is None
    assert video.text == "" and video.public_name == ""
    assert files_under(*media_dirs) == []
    assert "Free the union leaders" not in client.get("/en/submit/videos/").content.decode()


def test_a_link_to_a_public_post_is_shown_as_a_plain_link(client):
    response = client.post(FORM, form_data(link="https://videos.example.net/w/abc"))
    assert response.status_code == 302
    video = VideoMessage.objects.get()
    video.confirm()
    video.decide(make_moderator(), Decision.Action.APPROVE)
    page = client.get("/en/submit/videos/").content.decode()
    assert 'href="https://videos.example.net/w/abc"' in page
    assert "<iframe" not in page


def test_the_upload_streams_to_disk_with_flat_memory(settings, rf):
    """A large upload goes through the parser in chunks: memory stays small."""
    import tracemalloc

    from django.http.multipartparser import MultiPartParser

    from picketline.web.uploads import LimitedUploadHandler

    size = 60 * 1024 * 1024
    boundary = "BoUnDaRy"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    class Body:
        def __init__(self):
            self.sent = 0
            self.parts = [head]
            self.left = size

        def read(self, n=-1):
            if self.parts:
                return self.parts.pop()
            if self.left > 0:
                chunk = min(n if n > 0 else 65536, self.left, 1 << 20)
                self.left -= chunk
                return b"\x00" * chunk
            if self.left == 0:
                self.left = -1
                return tail
            return b""

    request = rf.post("/")
    settings.SUBMISSIONS_VIDEO_MAX_BYTES = 200 * 1000 * 1000
    handler = LimitedUploadHandler(request, settings.SUBMISSIONS_VIDEO_MAX_BYTES)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(head) + size + len(tail)),
    }
    tracemalloc.start()
    _post, files = MultiPartParser(meta, Body(), [handler]).parse()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    upload = files["video"]
    assert upload.size == size
    assert peak < 8 * 1024 * 1024  # far below the 60 MB that went through
    path = upload.temporary_file_path()
    upload.close()
    import os

    assert not os.path.exists(path)
    assert tempfile.gettempdir()


def test_the_gallery_filters_by_whole_hashtags(client):
    from .helpers import make_video_message

    moderator = make_moderator()
    for text, tags in (("first", "#Free #Unions"), ("second", "#FreeThem")):
        video = make_video_message(text=f"The {text} video", hashtags=tags)
        video.confirm()
        video.decide(moderator, Decision.Action.APPROVE)
    page = client.get("/en/submit/videos/?tag=Free").content.decode()
    assert "The first video" in page and "The second video" not in page
    page = client.get("/en/submit/videos/?tag=freethem").content.decode()
    assert "The second video" in page and "The first video" not in page
