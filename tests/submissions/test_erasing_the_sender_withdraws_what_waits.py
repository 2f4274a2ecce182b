"""A submission nobody has approved yet goes with its sender: erasure takes it out of the
moderation queue for good, and the change link a moderator sent dies. What was published
before stays as designed (an endorsement is the organisation's; see
test_an_endorsement_stays_and_its_senders_data_can_be_erased.py)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from picketline.mail.outbox import send_due
from picketline.submissions.models import Decision, Endorsement, NotWaiting, Status

from .helpers import make_endorsement, make_moderator, make_report, make_video_message
from .test_moderation import QUEUE, decide

pytestmark = pytest.mark.django_db

MAKERS = {
    "endorsement": lambda: make_endorsement(
        organisation="Small Union of Grodno", statement="Signed by our 3 members."
    ),
    "report": lambda: make_report(title="Picket at the Quirin embassy"),
    "video": lambda: make_video_message(text="Quirin greetings from Leipzig"),
}
SHOWN_AS = {
    "endorsement": "Small Union of Grodno",
    "report": "Picket at the Quirin embassy",
    "video": "Quirin greetings from Leipzig",
}


@pytest.fixture(autouse=True)
def password_admin(settings):
    settings.DEMO = True  # the admin without a TOTP code, as in test_moderation


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


def change_link(moderator_client, item) -> str:
    decide(moderator_client, item, "changes", "Please name your city.")
    send_due()
    return re.search(r"http://testserver(/en/submit/change/\S+)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_waiting_submission_of_an_erased_sender_leaves_the_queue_and_cannot_be_approved(
    moderator_client, kind
):
    item = MAKERS[kind]()
    item.confirm()
    assert SHOWN_AS[kind] in moderator_client.get(QUEUE).content.decode()

    item.supporter.erase(reason="request")

    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert not type(item).objects.waiting().filter(pk=item.pk).exists()
    for queue in (QUEUE, reverse("dashboard:moderation")):
        assert SHOWN_AS[kind] not in moderator_client.get(queue).content.decode(), queue
    decide(moderator_client, item, "approve")
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert not type(item).objects.public().filter(pk=item.pk).exists()
    assert [d.action for d in Decision.objects.for_item(item)] == [Decision.Action.WITHDRAW]


def test_a_withdrawn_endorsement_keeps_nothing_its_sender_wrote_but_the_organisation(
    moderator_client,
):
    item = make_endorsement(
        organisation="Small Union of Grodno",
        statement="Signed by our 3 members.",
        website="https://grodno.example/",
        contact_role="chair",
    )
    item.confirm()
    item.supporter.erase(reason="request")
    item.refresh_from_db()
    assert (item.statement, item.website, item.contact_role) == ("", "", "")
    assert item.organisation == "Small Union of Grodno"  # named in the moderation log


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_the_change_link_dies_with_the_sender(moderator_client, client, kind):
    item = MAKERS[kind]()
    item.confirm()
    link = change_link(moderator_client, item)
    assert client.get(link).status_code == 200

    item.supporter.erase(reason="request")

    page = client.get(link)
    assert page.status_code == 404
    assert SHOWN_AS[kind] not in page.content.decode()
    assert "Please name your city." not in page.content.decode()
    sent = client.post(
        link,
        {
            "organisation": "Edited after erasure",
            "country": "PL",
            "kind": Endorsement.Kind.UNION,
            "statement": "Edited after erasure",
            "website": "https://evil.example/",
            "title": "Edited after erasure",
            "text": "Edited after erasure",
            "hashtags": "",
        },
    )
    assert sent.status_code == 404
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert "Edited after erasure" not in (
        getattr(item, "organisation", ""),
        getattr(item, "statement", ""),
        getattr(item, "title", ""),
        getattr(item, "text", ""),
    )


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_moderator_s_stale_copy_cannot_approve_what_was_withdrawn_meanwhile(
    moderator_client, kind
):
    """The admin action reads the queue, then decides item by item: a sender erased (or a
    withdrawal) in between must not be undone by the approval of the copy read before."""
    item = MAKERS[kind]()
    item.confirm()
    read_by_the_moderator = type(item).objects.get(pk=item.pk)

    item.supporter.erase(reason="request")

    with pytest.raises(NotWaiting):
        read_by_the_moderator.decide(make_moderator(username="second"), Decision.Action.APPROVE)
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert not type(item).objects.public().filter(pk=item.pk).exists()
    assert [d.action for d in Decision.objects.for_item(item)] == [Decision.Action.WITHDRAW]
