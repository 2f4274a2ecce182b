"""A decision mail's HTML part is one whole document: the line to the privacy page sits in
its body, with the rest of the footer, not after ``</html>`` where a mail client may drop it."""

import pytest

from picketline.submissions.models import Decision
from picketline.submissions.notify import decision_mail

from .helpers import make_endorsement, make_moderator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "action",
    [Decision.Action.APPROVE, Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES],
)
def test_the_privacy_link_is_inside_the_html_body(action):
    item = make_endorsement()
    decision = Decision(action=action, reason="Too long.", moderator=make_moderator())
    html = decision_mail(item, decision).body_html.strip()
    assert html.endswith("</html>")
    body = html.split("<body>", 1)[1].split("</body>", 1)[0]
    assert 'href="http://testserver/en/me/privacy/"' in body
