from datetime import date, timedelta

import pytest
from django.utils import timezone

from picketline.supporters import flow, retention
from picketline.supporters.jobs import purge_unconfirmed
from picketline.supporters.models import Consent, ErasureLog, Subscription, Supporter

from .helpers import decrypted_text, subscribe

pytestmark = pytest.mark.django_db


def age(action, days: int) -> None:
    past = timezone.now() - timedelta(days=days)
    type(action).objects.filter(pk=action.pk).update(created_at=past)
    Supporter.objects.filter(pk=action.supporter_id).update(created_at=past)


def test_it_deletes_unconfirmed_data_after_seven_days():
    _, old = subscribe("old@example.org")
    flow.request_confirmation(old)
    _, fresh = subscribe("fresh@example.org")
    _, confirmed = subscribe("confirmed@example.org")
    confirmed.confirm()
    age(old, 8)
    age(confirmed, 8)
    purge_unconfirmed()
    assert set(Subscription.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    assert Supporter.objects.for_email("old@example.org") is None
    assert "old@example.org" not in decrypted_text()
    assert Consent.objects.count() == 2
    assert ErasureLog.objects.get().actions == {"unconfirmed": 1}


def test_a_supporter_with_something_left_stays_and_the_rest_go_in_few_statements(
    django_assert_max_num_queries,
):
    # An old, never confirmed supporter with a newer action of theirs stays; so does one with
    # a consent still recorded. Twelve with nothing left go, a batch at a time: the job does
    # not ask about each supporter in turn (it would, every day, for those who stay).
    _, newer = subscribe("newer@example.org")
    Supporter.objects.filter(pk=newer.supporter_id).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    kept, _ = Supporter.get_or_create_for_email("consented@example.org")
    Consent.record(kept, Consent.Purpose.ORGANISER_UPDATES, "keep me informed", "en", "/en/")
    Supporter.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=30))
    for n in range(12):
        _, old = subscribe(f"old{n}@example.org")
        age(old, 8)
    with django_assert_max_num_queries(100):  # 286 when asked one by one
        retention.purge_unconfirmed(batch=5)
    assert set(Supporter.objects.values_list("pk", flat=True)) == {newer.supporter_id, kept.pk}
    assert Subscription.objects.get().pk == newer.pk


def test_a_supporter_given_a_new_action_while_the_job_runs_stays(monkeypatch):
    # Between finding those with nothing left and locking them, a form gives one of them a
    # new action (here: just before the lock): the job asks again under the lock, keeps them.
    _, old = subscribe("old@example.org")
    age(old, 8)
    Subscription.objects.filter(pk=old.pk).delete()
    Consent.objects.all().delete()
    supporter = Supporter.objects.get()
    lock = Supporter.objects.select_for_update

    def a_form_comes_first(*args, **kwargs):
        Subscription.objects.create(supporter=supporter, language="en")
        return lock(*args, **kwargs)

    monkeypatch.setattr(Supporter.objects, "select_for_update", a_form_comes_first)
    retention.purge_unconfirmed()
    assert Supporter.objects.get() == supporter
    assert Subscription.objects.get().supporter == supporter


def test_the_unconfirmed_lifetime_is_configurable(settings):
    settings.SUPPORTERS_UNCONFIRMED_DAYS = 2
    _, action = subscribe()
    age(action, 3)
    retention.purge_unconfirmed()
    assert not Subscription.objects.exists()


def test_it_keeps_everyone_until_the_retention_time_after_the_campaign_is_over(settings):
    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = ""
    _, action = subscribe()
    flow.request_confirmation(action)
    action.confirm()
    from django.apps import apps

    Campaign = apps.get_model("campaigns", "Campaign")
    Campaign.objects.create(
        slug="c", title="C", starts_on=date(2024, 3, 19), ends_on=date(2024, 4, 30)
    )
    assert retention.erase_after() == date(2026, 4, 30)
    assert retention.erase_after_campaign(today=date(2026, 4, 29)) == 0
    assert Supporter.objects.count() == 1
    assert retention.erase_after_campaign(today=date(2026, 4, 30)) == 1
    assert Supporter.objects.count() == 0
    # The action stays counted, anonymous.
    assert Subscription.objects.confirmed().count() == 1
    assert Subscription.objects.get().supporter is None
    assert ErasureLog.objects.filter(reason="retention").count() == 1
    assert "ana@example.org" not in decrypted_text()


def test_it_reads_the_end_from_a_setting_without_a_campaign(settings):
    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2025-01-31"
    settings.SUPPORTERS_RETENTION_MONTHS = 1
    assert retention.erase_after() == date(2025, 2, 28)
