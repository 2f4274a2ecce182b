"""After confirming a video, an endorsement or a report, the page does not say it counts now:
nothing appears before a moderator has looked at it, and the page says so."""

import pytest
from django.test import Client

from picketline.submissions.views import AFTER_CONFIRMING

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(AFTER_CONFIRMING))
def test_the_page_after_confirming_promises_a_moderator_not_a_count(client: Client, kind):
    page = client.get(f"/en/submit/confirmed/{kind}/").content.decode()
    assert "<p>Confirmed.</p>" in page
    assert "It counts now" not in page
    assert "A moderator looks at it before it appears." in page
