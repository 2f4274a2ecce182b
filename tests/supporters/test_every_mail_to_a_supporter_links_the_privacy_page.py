""" "See or erase what we hold about you" is in every e-mail a supporter gets (the privacy policy
and the keep-me-informed consent say so): every mail template of every app, and a mailing's
footer. Mail to others is not: letters and digests go to recipients, the moderators' digest and
the notice of a video its sender withdrew to staff."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

import picketline
from picketline.mailings.models import Mailing
from picketline.mailings.sending import footer

pytestmark = pytest.mark.django_db

ROOT = Path(picketline.__file__).parent
NOT_TO_SUPPORTERS = {
    "letters/email/digest_body.txt",  # the day's letters, to a recipient
    "dashboard/email/digest_body.txt",  # what waits for moderation, to staff
    "dashboard/email/digest_body.html",
    # a published video its sender withdrew, to the video moderators
    "submissions/email/video_withdrawn_body.txt",
    "submissions/email/video_withdrawn_body.html",
    # the published videos the erasure at the campaign's end took down, to the same
    "submissions/email/videos_gone_at_campaign_end_body.txt",
    "submissions/email/videos_gone_at_campaign_end_body.html",
}


def mail_bodies() -> list[str]:
    names = []
    for path in sorted(ROOT.glob("*/templates/*/email/*_body.*")):
        name = str(path.relative_to(path.parents[2]))
        if name not in NOT_TO_SUPPORTERS:
            names.append(name)
    return names


def test_the_list_of_mails_is_complete():
    # A new mail kind lands in the test below by itself; this says the glob still finds them.
    assert len(mail_bodies()) >= 35
    assert "events/email/cancelled_body.html" in mail_bodies()


@pytest.mark.parametrize("name", mail_bodies())
def test_every_mail_to_a_supporter_links_their_privacy_page(name):
    with translation.override("ru"):
        body = render_to_string(name, {"name": "Ана", "days": 14, "hours": 48})
    assert "/ru/me/privacy/" in body
    # In the reader's language.
    assert "See or erase" not in body


def test_a_mailing_s_footer_links_the_privacy_page_in_the_reader_s_language():
    text = footer(Mailing(), "de")
    assert "/de/me/privacy/" in text and "See or erase" not in text
