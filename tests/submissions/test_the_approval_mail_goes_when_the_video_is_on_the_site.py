""" "What you sent us is now on the campaign site" is said when it is. An uploaded video is on
the site only once the worker has made its copy for the web: its sender is told then, once.
When no copy can be made (ffmpeg refuses the file, or the storage stays away until the tries
run out) the sender is told that it is not shown and how to send it again, in their language,
and is never told it is on the site. A video given as a link is on the site at approval."""

from __future__ import annotations

import pytest
from django.core import mail

from picketline.jobs.worker import drain
from picketline.mail.models import OutgoingMessage
from picketline.submissions import storage
from picketline.submissions.models import Decision, VideoMessage

from .helpers import make_moderator, make_video_message, supporter

# The worker manages its own database connections: it needs real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

ON_THE_SITE = "What you sent us is now on the campaign site"
NOT_SHOWN = {
    "en": "we could not make a copy of the file you sent that plays on the campaign site",
    "ru": "не смогли сделать из присланного файла копию, которая воспроизводится на сайте",
    "be": "не змаглі зрабіць з дасланага файла копію, якая прайграецца на сайце",
    "de": "konnten aus der gesendeten Datei aber keine Kopie machen",
}


def approve(video: VideoMessage, capture) -> None:
    video.confirm()
    with capture(execute=True):
        video.decide(make_moderator(), Decision.Action.APPROVE)


def to_the_sender(video: VideoMessage) -> list[OutgoingMessage]:
    return [m for m in OutgoingMessage.objects.order_by("pk") if video.supporter.email in m.to]


def test_an_uploaded_video_is_announced_once_its_copy_is_on_the_site(
    gps_video, django_capture_on_commit_callbacks
):
    video = make_video_message(link="", original=storage.keep_original(str(gps_video), "mov"))
    approve(video, django_capture_on_commit_callbacks)
    assert to_the_sender(video) == []  # approved, but not on the site yet

    drain()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.DONE
    assert VideoMessage.objects.public().filter(pk=video.pk).exists()
    [told] = to_the_sender(video)
    assert told.kind == "submission_approved"
    assert ON_THE_SITE in told.body_text
    assert video.public_list_url() in told.body_text

    video.process()  # a try queued again finds the copy made: nothing more is said
    assert len(to_the_sender(video)) == 1
    assert len([m for m in mail.outbox if video.supporter.email in m.to]) == 1


def test_a_video_given_as_a_link_is_announced_at_approval(django_capture_on_commit_callbacks):
    video = make_video_message()
    approve(video, django_capture_on_commit_callbacks)
    [told] = to_the_sender(video)
    assert told.kind == "submission_approved"
    assert ON_THE_SITE in told.body_text


@pytest.mark.parametrize("language", ["en", "ru", "be", "de"])
def test_a_file_no_copy_can_be_made_of_is_said_not_to_be_shown(
    language, tmp_path, django_capture_on_commit_callbacks
):
    not_a_video = tmp_path / "not-a-video.mov"
    not_a_video.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"nonsense" * 100)
    video = make_video_message(
        link="",
        original=storage.keep_original(str(not_a_video), "mov"),
        supporter=supporter(language=language),
        language=language,
    )
    approve(video, django_capture_on_commit_callbacks)

    drain()

    video.refresh_from_db()
    assert video.processing == VideoMessage.Processing.FAILED
    [told] = to_the_sender(video)
    assert told.kind == "video_not_published"
    assert told.language == language
    assert NOT_SHOWN[language] in told.body_text
    assert NOT_SHOWN[language] in told.body_html
    assert "/submit/video/" in told.body_text  # how to send it again
    assert ON_THE_SITE not in told.body_text
    if language != "en":
        assert NOT_SHOWN["en"] not in told.body_text


def test_a_sender_erased_meanwhile_is_told_nothing(tmp_path, django_capture_on_commit_callbacks):
    not_a_video = tmp_path / "not-a-video.mov"
    not_a_video.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"nonsense" * 100)
    video = make_video_message(link="", original=storage.keep_original(str(not_a_video), "mov"))
    approve(video, django_capture_on_commit_callbacks)
    VideoMessage.objects.filter(pk=video.pk).update(supporter=None)

    drain()

    assert not OutgoingMessage.objects.filter(kind="video_not_published").exists()
