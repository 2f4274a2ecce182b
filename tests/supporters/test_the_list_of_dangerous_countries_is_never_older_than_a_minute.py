"""Every form with a country asks whether it is marked as dangerous, some several times a
request: each process keeps the list it read, as the cache does, until an organiser edits
anything public (the content version) and for a minute at most."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from picketline.supporters.models import DangerousCountry
from picketline.web.content import KEPT_SECONDS

pytestmark = pytest.mark.django_db


def test_a_country_marked_in_the_admin_is_dangerous_at_once(django_capture_on_commit_callbacks):
    assert not DangerousCountry.is_dangerous("BY")
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        DangerousCountry.objects.create(code="BY")
    assert DangerousCountry.is_dangerous("by")


def test_the_list_is_read_from_the_database_once(django_assert_num_queries):
    DangerousCountry.objects.create(code="BY")
    with django_assert_num_queries(1):
        for _ in range(3):
            assert DangerousCountry.is_dangerous("BY")
            assert not DangerousCountry.is_dangerous("DE")


def test_a_country_marked_behind_the_sites_back_counts_within_a_minute():
    assert not DangerousCountry.is_dangerous("BY")
    # A shell or a migration: the content version stays as it is.
    DangerousCountry.objects.bulk_create([DangerousCountry(code="BY")])
    assert not DangerousCountry.is_dangerous("BY")
    with time_machine.travel(timezone.now() + timedelta(seconds=KEPT_SECONDS + 1)):
        assert DangerousCountry.is_dangerous("BY")
