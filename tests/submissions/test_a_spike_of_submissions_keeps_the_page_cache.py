"""A new submission waits for a moderator and is on no public page: thousands of them arriving
at once must not make every cached page stale. Publishing one (and taking it back) must."""

from __future__ import annotations

import pytest

from picketline.submissions.models import Decision, Status
from picketline.web.content import content_version
from tests.submissions.helpers import make_moderator, make_video_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshes(django_capture_on_commit_callbacks):
    """refreshes(step) → whether doing ``step`` made the cached pages stale (once committed)."""

    def check(step) -> bool:
        before = content_version()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        return content_version() != before

    return check


def test_a_new_or_confirmed_submission_leaves_cached_pages_alone(refreshes):
    video = None

    def submit():
        nonlocal video
        video = make_video_message()

    assert not refreshes(submit)
    assert not refreshes(video.confirm)
    video.text = "Edited while it waits"
    assert not refreshes(video.save)


def test_approving_editing_and_taking_back_a_published_one_refreshes_them(refreshes):
    video = make_video_message()
    video.confirm()
    assert refreshes(lambda: video.decide(make_moderator(), Decision.Action.APPROVE))
    video.text = "Corrected by a moderator"
    assert refreshes(video.save)
    video.status = Status.PENDING  # an organiser takes it back in the admin
    assert refreshes(video.save)
    assert not refreshes(video.delete)  # on no public page any more
