"""The consent to publish a video covers the campaign's channels too, and says that withdrawing
it takes the video down from this site at once and has the organisers told to take it down
from those channels. So when the sender of a published video withdraws it (the consent, or
erasure), every video moderator gets one mail at once, through the outbox, with nothing of
the sender in it; nobody is told about a video that was never published, or about a moderator's
own take-down."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import translation
from django.utils.timezone import localtime

from picketline.accounts.roles import ORGANISER, VIEWER, ensure_roles
from picketline.mail.models import OutgoingMessage
from picketline.mail.outbox import send_due
from picketline.submissions import notify
from picketline.submissions.models import Decision, Status, VideoMessage
from picketline.supporters.forms import consent_wording
from picketline.supporters.models import Consent
from picketline.supporters.withdrawal import effect
from picketline.web.moments import moment_text

from .helpers import make_moderator, make_video_message

pytestmark = pytest.mark.django_db

KIND = "video_withdrawn_by_sender"
# What the sender typed, linked or is called: none of it may reach the moderators' mail.
SENDER = ("Ana Example", "ana@example.org", "Solidarity from Leipzig", "#FreeThem", "video.example")


def staff(username: str, role: str, email: str = "") -> User:
    ensure_roles()
    user = User.objects.create_user(username, email, "a-long-password-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def moderators() -> list[User]:
    """Who moderates videos: the moderator role and the organisers (both hold
    ``submissions.moderate``). A viewer does not; staff without an address cannot be told."""
    staff("viewer", VIEWER, "viewer@example.org")
    staff("no-address", ORGANISER)
    return [
        make_moderator("mod", "mod@example.org"),
        make_moderator("mod2", "mod2@example.org"),
        staff("organiser", ORGANISER, "organiser@example.org"),
    ]


def published_video() -> VideoMessage:
    video = make_video_message()
    video.confirm()
    video.decide(make_moderator(), Decision.Action.APPROVE)
    return video


def face_and_voice(video: VideoMessage) -> Consent:
    return Consent.objects.for_action(video).get(purpose=Consent.Purpose.PUBLISH_FACE_VOICE)


def told() -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.filter(kind=KIND).order_by("pk"))


def test_withdrawing_the_consent_of_a_published_video_tells_every_video_moderator_at_once(
    moderators,
):
    video = published_video()
    approved = Decision.objects.for_item(video).get(action=Decision.Action.APPROVE)

    assert face_and_voice(video).withdraw()

    # In the withdrawing transaction, before any job has run: one mail per moderator.
    messages = told()
    assert sorted(m.to for m in messages) == sorted(u.email for u in moderators)
    video.refresh_from_db()
    assert video.status == Status.WITHDRAWN
    admin_page = f"/admin/submissions/videomessage/{video.pk}/change/"
    # When it was published, with the zone of the clocks it is told on.
    published = moment_text(approved.decided_at)
    assert "UTC" in published
    for message in messages:
        assert f"#{video.pk}" in message.subject and "channels" in message.subject
        for body in (message.body_text, message.body_html):
            assert admin_page in body
            assert published in body
            assert "come down from this site" in body
            assert "take it down there now" in body
        for typed in SENDER:
            assert typed not in message.subject + message.body_text + message.body_html

    send_due()
    sent = [m for m in mail.outbox if m.to[0] in {u.email for u in moderators}]
    assert len(sent) == len(moderators)
    assert all(admin_page in m.body for m in sent)


def test_erasing_the_sender_of_a_published_video_tells_the_moderators_without_naming_them(
    moderators,
):
    video = published_video()

    video.supporter.erase()

    messages = told()
    assert sorted(m.to for m in messages) == sorted(u.email for u in moderators)
    for message in messages:
        assert f"/admin/submissions/videomessage/{video.pk}/change/" in message.body_text
        for typed in SENDER:
            assert typed not in message.subject + message.body_text + message.body_html


def test_a_video_that_was_never_published_tells_nobody(moderators):
    waiting = make_video_message()
    waiting.confirm()
    assert VideoMessage.objects.waiting().filter(pk=waiting.pk).exists()

    assert face_and_voice(waiting).withdraw()

    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN
    assert told() == []


def test_a_moderators_own_take_down_tells_nobody_and_a_later_erasure_neither(moderators):
    video = published_video()

    video.withdraw(moderators[0])
    video.supporter.erase()

    assert Decision.objects.for_item(video).filter(action=Decision.Action.TAKE_DOWN).exists()
    assert told() == []


def test_a_video_withdrawn_and_then_erased_tells_the_moderators_once(moderators):
    video = published_video()

    face_and_voice(video).withdraw()
    video.refresh_from_db()
    video.supporter.erase()

    assert len(told()) == len(moderators)


def test_the_mail_is_in_the_sites_language(moderators, settings):
    settings.LANGUAGE_CODE = "de"
    video = published_video()

    face_and_voice(video).withdraw()

    message = told()[0]
    assert message.language == "de"
    assert "Kanälen der Kampagne" in message.subject
    assert "come down" not in message.body_text and "take it down" not in message.body_html


@pytest.mark.parametrize("language", ["ru", "be", "de"])
def test_every_sentence_of_the_mail_is_translated(language, settings):
    settings.LANGUAGE_CODE = language
    make_moderator()
    video = make_video_message()
    [message] = notify.video_down_to_moderators(video, video.created_at)
    for english in ("Video message", "Hello", "has withdrawn", "take it down", "administration"):
        assert english not in message.subject + message.body_text + message.body_html, english


def test_the_consent_and_the_privacy_page_say_the_organisers_take_it_down_from_the_channels():
    for said in (
        consent_wording(Consent.Purpose.PUBLISH_FACE_VOICE),
        effect(Consent.Purpose.PUBLISH_FACE_VOICE),
    ):
        assert "comes down from this site at once" in said or "comes off this site at once" in said
        assert "take it down from the campaign's" in said
    for language in ("ru", "be", "de"):
        with translation.override(language):
            assert "channels" not in consent_wording(Consent.Purpose.PUBLISH_FACE_VOICE)
            assert "channels" not in effect(Consent.Purpose.PUBLISH_FACE_VOICE)


def test_with_no_video_moderator_to_tell_it_says_so_in_the_log(caplog):
    video = VideoMessage(pk=4242)
    with caplog.at_level("ERROR", logger="picketline.submissions.notify"):
        assert notify.video_down_to_moderators(video, localtime()) == []
    assert "video #4242 came down, and no video moderator" in caplog.text


# Each person's erasure commits on its own (the told videos are gathered after each commit).
@pytest.mark.django_db(transaction=True)
def test_the_erasure_at_the_campaign_s_end_tells_each_moderator_once_of_every_video(
    moderators, settings
):
    """Everyone is erased when the retention time after the campaign is over: that takes every
    published video down, and each moderator gets one mail naming them all (not one a video),
    which says why and does not claim that anyone withdrew."""
    from datetime import date

    from picketline.supporters import retention
    from tests.submissions.helpers import supporter

    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2024-04-30"
    settings.SUPPORTERS_RETENTION_MONTHS = 24
    videos = [published_video()]
    for n in (2, 3):
        video = make_video_message(supporter=supporter(f"ana{n}@example.org", f"Ana {n}"))
        video.confirm()
        video.decide(make_moderator(), Decision.Action.APPROVE)
        videos.append(video)
    never_published = make_video_message(supporter=supporter("b@example.org", "Bo"))
    never_published.confirm()

    assert retention.erase_after_campaign(today=date(2026, 4, 30), batch=2) == 4

    assert told() == []  # no "the sender withdrew" mail: nobody did
    summaries = list(OutgoingMessage.objects.filter(kind="videos_gone_at_campaign_end"))
    # Two batches, the first with two published videos, the second with one.
    assert len(summaries) == 2 * len(moderators)
    send_due()
    bodies = {}
    for message in mail.outbox:
        assert message.to[0] in {u.email for u in moderators}
        bodies.setdefault(message.to[0], []).append(message.body)
        for typed in (*SENDER, "Ana 2", "ana3@example.org", "Bo"):
            assert typed not in message.subject + message.body, typed
        assert "withdrawn" not in message.body
        # Why, in plain words: the time for keeping the data ran out, not a choice of anyone.
        assert "after the campaign ends. That time is over, so their data is being erased." in (
            " ".join(message.body.split())
        )
    for text in bodies.values():
        together = "\n".join(text)
        for video in videos:
            assert f"#{video.pk}, published on" in together
            assert f"/admin/submissions/videomessage/{video.pk}/" in together
        assert f"#{never_published.pk}," not in together
    assert any(m.subject.startswith("2 video messages came down") for m in mail.outbox)
    assert any(m.subject.startswith("1 video message came down") for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_a_failure_halfway_through_a_batch_keeps_what_was_done_and_tells_of_it(
    moderators, settings, monkeypatch
):
    """A storage away, say, on the second person of a batch: the first stays erased (their
    video's files are gone already, so rolling them back would publish a video without
    files), their video is told of, and the second is left for the next run."""
    from datetime import date

    from picketline.supporters import retention
    from picketline.supporters.models import Supporter
    from tests.submissions.helpers import supporter

    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2024-04-30"
    settings.SUPPORTERS_RETENTION_MONTHS = 24
    first = published_video()
    second = make_video_message(supporter=supporter("ana2@example.org", "Ana 2"))
    second.confirm()
    second.decide(make_moderator(), Decision.Action.APPROVE)
    erase = Supporter.erase

    def storage_away_for_the_second(self, *args, **kwargs):
        if self.email == "ana2@example.org":
            raise OSError("the bucket is away")
        return erase(self, *args, **kwargs)

    monkeypatch.setattr(Supporter, "erase", storage_away_for_the_second)
    with pytest.raises(OSError):
        retention.erase_after_campaign(today=date(2026, 4, 30), batch=10)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.WITHDRAWN and first.supporter is None
    assert second.status == Status.APPROVED
    summaries = OutgoingMessage.objects.filter(kind="videos_gone_at_campaign_end")
    assert summaries.count() == len(moderators)
    for message in summaries:
        assert message.compose() is not False
        assert f"#{first.pk}," in message.body_text
        assert f"#{second.pk}," not in message.body_text
