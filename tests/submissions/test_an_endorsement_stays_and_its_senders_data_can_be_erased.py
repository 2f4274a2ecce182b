"""The approval mail of an endorsement says what is true of it: the organisation's endorsement
stays on the site, and the sender's own name and address can be erased; a video or a report
says it can be withdrawn."""

import pytest

from picketline.mail.models import OutgoingMessage
from picketline.submissions.models import Decision, Endorsement

from .helpers import make_endorsement, make_moderator, make_video_message

pytestmark = pytest.mark.django_db

STAYS = "Your organisation's endorsement stays on the site"
WITHDRAW = "You can withdraw it at any time from your privacy page."


def confirmed(item):
    item.confirm()
    return item


def approval_mail(item) -> str:
    item.decide(make_moderator(), Decision.Action.APPROVE)
    return OutgoingMessage.objects.get(kind="submission_approved").body_text


def test_an_endorsements_approval_says_it_stays_and_the_sender_can_be_erased():
    text = approval_mail(confirmed(make_endorsement()))
    assert STAYS in text
    assert WITHDRAW not in text


def test_erasing_the_sender_leaves_the_endorsement_and_takes_their_name_and_address():
    endorsement = confirmed(make_endorsement())
    endorsement.decide(make_moderator(), Decision.Action.APPROVE)
    supporter = endorsement.supporter
    supporter.erase()
    kept = Endorsement.objects.get(pk=endorsement.pk)
    assert kept.supporter_id is None
    assert kept in Endorsement.objects.public()


def test_a_videos_approval_says_it_can_be_withdrawn():
    text = approval_mail(confirmed(make_video_message()))
    assert WITHDRAW in text
    assert STAYS not in text
