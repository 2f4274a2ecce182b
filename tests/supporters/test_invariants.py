"""Property-based: any sequence of submit / confirm / reject / withdraw / erase / purge keeps
the invariants — public counts equal confirmed actions, no consent without its record, nothing
personal left of an erased person."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from picketline.supporters import flow, retention
from picketline.supporters.models import Consent, Subscription, Supporter

from .helpers import database_text, decrypted_text

PEOPLE = [
    ("ana.inv@example.org", "Anastasiya Invariantova"),
    ("boris.inv@example.org", "Borislav Stateful"),
    ("chloe.inv@example.org", "Chloe Propertybased"),
]
person = st.integers(min_value=0, max_value=len(PEOPLE) - 1)


class SupporterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each run of the machine starts from an empty database and leaves nothing behind.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.confirmed: set[int] = set()  # subscription ids we confirmed
        self.erased: set[int] = set()  # people erased and not back since
        self.request = RequestFactory().post("/en/me/keep-me-informed/")

    @rule(who=person, consent=st.booleans())
    def submit(self, who: int, consent: bool) -> None:
        email, name = PEOPLE[who]
        supporter, _ = Supporter.get_or_create_for_email(email, name=name)
        subscription = Subscription.objects.create(supporter=supporter, language="en")
        if consent:
            Consent.record(
                supporter,
                Consent.Purpose.ORGANISER_UPDATES,
                "Keep me informed",
                "en",
                "/en/me/keep-me-informed/",
                action=subscription,
            )
        flow.request_confirmation(subscription, self.request)
        self.erased.discard(who)

    @rule(data=st.data())
    def confirm(self, data) -> None:
        pending = list(Subscription.objects.unconfirmed().values_list("pk", flat=True))
        if not pending:
            return
        pk = data.draw(st.sampled_from(pending))
        assert Subscription.objects.get(pk=pk).confirm() is True
        assert Subscription.objects.get(pk=pk).confirm() is False
        self.confirmed.add(pk)

    @rule(data=st.data())
    def reject(self, data) -> None:
        pending = list(Subscription.objects.unconfirmed().values_list("pk", flat=True))
        if not pending:
            return
        pk = data.draw(st.sampled_from(pending))
        assert Subscription.objects.get(pk=pk).reject() is True
        assert not Subscription.objects.filter(pk=pk).exists()

    @rule(data=st.data())
    def withdraw(self, data) -> None:
        active = list(Consent.objects.active().values_list("pk", flat=True))
        if not active:
            return
        consent = Consent.objects.get(pk=data.draw(st.sampled_from(active)))
        consent.withdraw()
        assert not consent.withdraw()

    @rule(who=person)
    def erase(self, who: int) -> None:
        supporter = Supporter.objects.for_email(PEOPLE[who][0])
        if supporter is None:
            return
        supporter.erase()
        self.erased.add(who)

    @rule()
    def purge_old_unconfirmed(self) -> None:
        retention.purge_unconfirmed(now=timezone.now() + timedelta(days=8))
        # Everything unconfirmed was younger than 8 days, so it is all gone now.
        assert not Subscription.objects.unconfirmed().exists()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @invariant()
    def counts_are_confirmed_actions(self) -> None:
        assert Subscription.objects.confirmed().count() == len(self.confirmed)

    @invariant()
    def every_consent_has_its_record(self) -> None:
        for consent in Consent.objects.select_related("wording"):
            assert consent.wording.text == "Keep me informed"
            assert consent.purpose == Consent.Purpose.ORGANISER_UPDATES
            if consent.confirmed_at is not None:
                action = Subscription.objects.filter(pk=consent.action_id).first()
                assert action is not None and action.confirmed_at is not None
            if consent.supporter_id is None:
                assert consent.withdrawn_at is not None

    @invariant()
    def nothing_left_of_erased_people(self) -> None:
        if not self.erased:
            return
        dump = (database_text() + decrypted_text()).lower()
        for who in self.erased:
            email, name = PEOPLE[who]
            assert Supporter.objects.for_email(email) is None
            assert email not in dump and name.lower() not in dump


@pytest.mark.django_db
def test_any_sequence_keeps_the_invariants():
    run_state_machine_as_test(
        SupporterMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
