"""Who a mailing goes to: people with a standing consent, narrowed by each criterion; never
an address that bounces, never someone who withdrew or whose consent is for another partner."""

from __future__ import annotations

import pytest

from picketline.events.models import Registration
from picketline.mail.models import AddressHealth
from picketline.mailings import audience
from picketline.supporters.models import Consent
from tests.events.helpers import online_meeting
from tests.mailings.helpers import emails, partner_named, supporter

pytestmark = pytest.mark.django_db


def everyone(criteria: audience.Criteria, size: int = 1000) -> list[str]:
    return emails(r for _last, batch in audience.batches(criteria, size=size) for r in batch)


def test_it_takes_only_people_with_a_confirmed_standing_consent():
    supporter("yes@example.org")
    supporter("unconfirmed@example.org", confirmed=False)
    supporter("none@example.org", consent=False)
    withdrawn = supporter("withdrawn@example.org")
    withdrawn.consents.get().withdraw()

    assert everyone(audience.Criteria()) == ["yes@example.org"]
    assert audience.count(audience.Criteria()) == 1


def test_a_partners_consent_counts_only_for_that_partner():
    supporter("org@example.org")
    supporter("ituc@example.org", partner="ITUC")
    supporter("other@example.org", partner="Other union")

    assert everyone(audience.Criteria()) == ["org@example.org"]
    ituc, nobody = partner_named("ITUC"), partner_named("Nobody")
    assert everyone(audience.Criteria(partner_id=ituc.pk)) == ["ituc@example.org"]
    assert everyone(audience.Criteria(partner_id=nobody.pk)) == []


def test_it_narrows_by_language():
    supporter("en@example.org", language="en")
    supporter("ru@example.org", language="ru")
    supporter("be@example.org", language="be")

    assert everyone(audience.Criteria(languages=("ru", "be"))) == [
        "be@example.org",
        "ru@example.org",
    ]


def test_it_narrows_by_the_encrypted_country():
    supporter("de@example.org", country="DE")
    supporter("lt@example.org", country="LT")
    supporter("nowhere@example.org")

    criteria = audience.Criteria(countries=("LT",))
    assert everyone(criteria) == ["lt@example.org"]
    assert audience.count(criteria) == 1


def test_it_narrows_to_people_who_took_a_kind_of_action():
    from picketline.supporters.models import Subscription

    took = supporter("took@example.org")
    supporter("did-not@example.org", consent=False)
    # Everyone here has a subscription; registrations are the action that tells them apart.
    event = online_meeting()
    registration = Registration.objects.create(supporter=took, event=event, language="en")
    registration.confirm()
    supporter("consent-only@example.org")

    assert Subscription.objects.count() == 2
    assert everyone(audience.Criteria(took_action="events.registration")) == ["took@example.org"]


def test_it_narrows_to_an_events_registrants_still_coming():
    event = online_meeting()
    coming = supporter("coming@example.org")
    cancelled = supporter("cancelled@example.org")
    supporter("elsewhere@example.org")
    for person in (coming, cancelled):
        Registration.objects.create(supporter=person, event=event, language="en").confirm()
    Registration.objects.get(supporter=cancelled).cancel()

    assert everyone(audience.Criteria(event_id=event.pk)) == ["coming@example.org"]


def test_bouncing_addresses_are_left_out():
    supporter("fine@example.org")
    supporter("Bounces@Example.org")
    for _ in range(3):
        AddressHealth.record_hard_failure("bounces@example.org")

    assert everyone(audience.Criteria()) == ["fine@example.org"]
    assert audience.count(audience.Criteria()) == 1


def test_it_walks_the_audience_in_batches_after_a_cursor():
    people = [supporter(f"p{i}@example.org") for i in range(7)]
    seen = [
        (last, [r.pk for r in batch])
        for last, batch in audience.batches(audience.Criteria(), size=3)
    ]

    assert [len(batch) for _last, batch in seen] == [3, 3, 1]
    assert [pk for _last, batch in seen for pk in batch] == [p.pk for p in people]
    resumed = audience.batches(audience.Criteria(), after=seen[0][0], size=10)
    assert [r.pk for r in next(resumed)[1]] == [p.pk for p in people[3:]]


def test_withdrawing_takes_back_only_the_consent_the_mailing_rests_on():
    person = supporter("both@example.org")
    supporter("both@example.org", partner="ITUC")

    assert audience.withdraw(person, partner_named("ITUC").pk) == 1
    purposes = dict(person.consents.values_list("purpose", "withdrawn_at"))
    assert purposes[Consent.Purpose.PARTNER_UPDATES] is not None
    assert purposes[Consent.Purpose.ORGANISER_UPDATES] is None
    assert audience.withdraw(person, partner_named("ITUC").pk) == 0
