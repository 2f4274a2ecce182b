"""A country marked as dangerous after something from it was published: the forms say "we
publish no endorsement from {country}", "no report of an action there", "we list no action
there", so it comes off every public page and the API at once, and a moderator's later
approval does not put it back. Unmarking the country shows it again (nothing was deleted)."""

from __future__ import annotations

import pytest

from picketline.events.models import Event, HostedAction, HostedReport
from picketline.submissions.models import Decision
from picketline.supporters.models import DangerousCountry
from tests.events.helpers import hosted_action
from tests.submissions.helpers import make_endorsement, make_moderator, make_report

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/submit/endorsements/",
    "/en/submit/reports/",
    "/api/v1/endorsements",
    "/api/v1/reports",
    "/en/events/hosted/",
    "/api/v1/events",
]


def publish(item) -> None:
    item.confirm()
    item.decide(make_moderator(), Decision.Action.APPROVE)


def held_in_poland() -> HostedAction:
    hosted = hosted_action(
        title="Vigil in Gdansk", country="PL", city="Gdansk", place="By the shipyard gate"
    )
    hosted.confirm()
    hosted.approve()
    HostedReport.objects.create(
        hosted_action=hosted, participants=40, text="Forty at the gate", status="approved"
    )
    return hosted


def shown(client) -> str:
    return "".join(client.get(path).content.decode() for path in PAGES)


def test_what_came_from_a_country_marked_later_comes_off_and_stays_off(
    client, django_capture_on_commit_callbacks
):
    publish(make_endorsement(organisation="Gdansk Dockers", country="PL"))
    publish(make_report(country="PL", title="Picket in Szczecin"))
    held_in_poland()
    waiting = make_endorsement(organisation="Late Union", country="PL")
    waiting.confirm()
    before = shown(client)
    for name in ("Gdansk Dockers", "Picket in Szczecin", "Vigil in Gdansk", "Forty at the gate"):
        assert name in before

    with django_capture_on_commit_callbacks(execute=True):  # the content version changes
        marked = DangerousCountry.objects.create(code="PL")
        publish(waiting)  # a moderator approves what was waiting: still not shown
    after = shown(client)
    for name in ("Gdansk Dockers", "Picket in Szczecin", "Vigil in Gdansk", "Forty at the gate"):
        assert name not in after
    assert "Late Union" not in after
    assert Event.objects.get().published  # kept for those registered, not listed

    with django_capture_on_commit_callbacks(execute=True):
        marked.delete()
    assert "Gdansk Dockers" in shown(client) and "Late Union" in shown(client)
