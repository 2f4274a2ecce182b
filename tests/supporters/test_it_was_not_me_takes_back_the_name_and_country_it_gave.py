"""Before an address is confirmed, a form sent with it fills the name and the country its row
lacks. "It was not me" on that form's action takes them back with the rest of what was
entered: another person's name does not stay on the owner's row, to be confirmed with the
owner's own action."""

import pytest
from django.core import mail

from picketline.mail.outbox import send_due
from picketline.supporters.models import Subscription, Supporter

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

ADDRESS = "quiet@example.org"
FORM = "/en/me/keep-me-informed/"


def keep_me_informed(client, **typed) -> Subscription:
    data = {"email": ADDRESS, "consent_organiser_updates": "on", "language": "en", **typed}
    assert client.post(FORM, data).status_code == 302
    return Subscription.objects.order_by("-pk").first()


def link_for(action: Subscription, which: int) -> str:
    """The confirmation (0) or "it was not me" (1) link from ``action``'s mail."""
    send_due()
    token_mails = [m for m in mail.outbox if m.to == [ADDRESS]]
    # Each action's mail names it once; the newest mail is the newest action's.
    ordered = sorted(Subscription.objects.all(), key=lambda s: s.pk)
    return path_of(links_in(token_mails[ordered.index(action)].body)[which])


def row() -> tuple[str, str, bool]:
    supporter = Supporter.objects.get()
    return supporter.name, supporter.country, supporter.confirmed_at is not None


def test_a_rejected_form_takes_back_the_name_and_country_it_filled(client):
    own = keep_me_informed(client)  # the owner gives neither (both are optional here)
    other = keep_me_informed(client, name="Quillon Impostor", country="PL")
    assert row() == ("Quillon Impostor", "PL", False)
    client.post(link_for(other, 1))
    assert not Subscription.objects.filter(pk=other.pk).exists()
    assert row() == ("", "", False)
    # The owner confirms their own: nothing of the other person's is confirmed with it.
    client.post(link_for(own, 0))
    assert row() == ("", "", True)


def test_the_form_that_made_the_row_takes_back_what_it_gave_and_the_owner_s_action_stays(client):
    other = keep_me_informed(client, name="Quillon Impostor", country="PL")
    own = keep_me_informed(client, name="Quiet Owner")  # fills nothing: the name is there
    assert row() == ("Quillon Impostor", "PL", False)
    client.post(link_for(other, 1))
    assert Subscription.objects.get() == own
    assert row() == ("", "", False)


def test_rejecting_another_form_leaves_what_the_owner_gave(client):
    own = keep_me_informed(client, name="Quiet Owner", country="DE")
    other = keep_me_informed(client, name="Quillon Impostor", country="PL")
    assert row() == ("Quiet Owner", "DE", False)
    client.post(link_for(other, 1))
    assert row() == ("Quiet Owner", "DE", False)
    assert Subscription.objects.get() == own


def test_a_form_that_stores_no_action_fills_nothing(client):
    from tests.events.helpers import online_meeting

    online_meeting()
    page = "/en/events/meeting/"
    typed = {"email": ADDRESS, "language": "en", "name": "Quiet Owner", "website": ""}
    assert client.post(page, typed).status_code == 302
    keep_me_informed(client)
    assert Supporter.objects.get().name == "Quiet Owner"
    Supporter.objects.update(name="")  # as if the owner had registered without a name
    # Registered already: nothing is stored, so nothing typed with it stays either.
    again = {**typed, "name": "Quillon Impostor"}  # the event form asks no country
    assert client.post(page, again).status_code == 302
    assert row() == ("", "", False)


def test_a_confirmed_row_is_not_touched(client):
    own = keep_me_informed(client, name="Quiet Owner")
    client.post(link_for(own, 0))
    other = keep_me_informed(client, name="Quillon Impostor", country="PL")
    client.post(link_for(other, 1))
    assert row() == ("Quiet Owner", "", True)


def test_the_owner_who_confirms_their_own_first_still_takes_back_the_other_s_name(client):
    """The owner may open their own mail first: confirming their action does not make the name
    and country another person's form gave theirs, and "it was not me" on that form still
    takes them back."""
    own = keep_me_informed(client)
    other = keep_me_informed(client, name="Quillon Impostor", country="PL")
    client.post(link_for(own, 0))
    assert row() == ("Quillon Impostor", "PL", True)
    client.post(link_for(other, 1))
    assert not Subscription.objects.filter(pk=other.pk).exists()
    assert row() == ("", "", True)
