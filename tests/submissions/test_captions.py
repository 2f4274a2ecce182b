"""Captions: a supporter sends a WebVTT file with the video, or a moderator writes captions in
the admin; the published video plays them through ``<track>``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from picketline.jobs.worker import drain
from picketline.submissions.models import Decision, VideoMessage
from tests.fixtures.accounts import login_verified

from .helpers import make_moderator, make_video_message, supporter
from .test_videos import FORM, form_data, upload

CAPTIONS = "WEBVTT\r\n\r\n00:00.000 --> 00:03.000\r\nFreiheit für die Gewerkschafter!\r\n"


def vtt(text: str | bytes, name: str = "captions.vtt") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/vtt")


def publish(client, video, django_capture_on_commit_callbacks) -> VideoMessage:
    video.confirm()
    with django_capture_on_commit_callbacks(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)
    drain()  # the worker re-encodes the video
    video.refresh_from_db()
    assert video.is_playable
    return video


@pytest.mark.django_db(transaction=True)
def test_the_supporters_captions_are_played_with_the_video(
    client, gps_video, django_capture_on_commit_callbacks
):
    data = form_data(language="de", video=upload(gps_video), captions=vtt(CAPTIONS))
    assert client.post(FORM, data).status_code == 302
    video = publish(client, VideoMessage.objects.get(), django_capture_on_commit_callbacks)
    assert video.captions == CAPTIONS.replace("\r\n", "\n")

    page = client.get(video.get_absolute_url()).content.decode()
    track = (
        f'<track kind="captions" src="{video.captions_url()}" srclang="de" label="Deutsch" default>'
    )
    assert track in page
    served = Client().get(video.captions_url())
    assert served.status_code == 200
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert served.content.decode() == video.captions


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1\n00:00.000 --> 00:01.000\nHello\n", "WEBVTT"),
        ("WEBVTT\n\nno cue at all\n", "cue"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n\xff\xfe\n", "UTF-8"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nbell\x07\n", "control characters"),
    ],
)
def test_it_refuses_captions_that_are_not_webvtt(client, gps_video, text, says):
    data = form_data(video=upload(gps_video), captions=vtt(text))
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert VideoMessage.objects.count() == 0


@pytest.mark.django_db
def test_captions_are_served_only_while_the_video_is_public(client):
    video = VideoMessage.objects.create(
        language="en", link="https://video.example/1", captions=CAPTIONS
    )
    assert client.get(video.captions_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_moderator_adds_captions_in_the_admin(
    client, gps_video, django_capture_on_commit_callbacks
):
    assert client.post(FORM, form_data(video=upload(gps_video))).status_code == 302
    video = publish(client, VideoMessage.objects.get(), django_capture_on_commit_callbacks)
    assert "<track" not in client.get(video.get_absolute_url()).content.decode()

    moderator = Client()
    login_verified(moderator, make_moderator("captioner", "captioner@example.org"))
    url = f"/admin/submissions/videomessage/{video.pk}/change/"
    fields = {"text": video.text, "hashtags": video.hashtags, "link": ""}
    refused = moderator.post(url, {**fields, "captions": "Hello", "captions_language": "ru"})
    assert refused.status_code == 200 and "WEBVTT" in refused.content.decode()

    captions = "WEBVTT\r\n\r\n00:00.000 --> 00:03.000\r\nСвабоду прафсаюзам!"
    saved = moderator.post(url, {**fields, "captions": captions, "captions_language": "be"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page = client.get(video.get_absolute_url()).content.decode()
    assert f'src="{video.captions_url()}" srclang="be" label="беларуская"' in page
    assert client.get(video.captions_url()).content.decode() == (
        "WEBVTT\n\n00:00.000 --> 00:03.000\nСвабоду прафсаюзам!\n"
    )


@pytest.mark.django_db
def test_erasing_the_sender_takes_the_captions():
    person = supporter()
    video = make_video_message(supporter=person, captions=CAPTIONS)
    video.confirm()  # a confirmed video stays (withdrawn); an unconfirmed one is deleted
    assert CAPTIONS in video.personal_data().values()
    person.erase()
    video.refresh_from_db()
    assert video.captions == ""
