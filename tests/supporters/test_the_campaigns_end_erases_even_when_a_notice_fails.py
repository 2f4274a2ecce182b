"""The privacy notice promises that everyone's data goes once the retention time after the
campaign is over. A notice to the staff that the erasure keeps for later (``HeldNotice``) and
that cannot be sent (its function renamed since, or failing) is logged and kept for the next
run: it never stops the erasure."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from picketline.supporters import retention
from picketline.supporters.campaign_end import tell_held_notices
from picketline.supporters.models import HeldNotice, Supporter

pytestmark = pytest.mark.django_db(transaction=True)

TOLD: list[list] = []


def tell_the_staff(items: list) -> None:
    TOLD.append(items)


def tell_and_fail(items: list) -> None:
    raise RuntimeError("the template does not render")


@pytest.fixture
def campaign_over(settings):
    settings.SUPPORTERS_CAMPAIGN_ENDS_ON = "2024-04-30"
    settings.SUPPORTERS_RETENTION_MONTHS = 24
    TOLD.clear()


@pytest.mark.parametrize(
    "tell",
    [f"{__name__}.tell_and_fail", "picketline.submissions.notify.a_function_renamed_since"],
)
def test_everyone_is_erased_and_the_failed_notice_waits(campaign_over, caplog, tell):
    for n in range(3):
        Supporter.get_or_create_for_email(f"person{n}@example.org", name=f"Person {n}")
    HeldNotice.objects.create(tell=tell, item={"number": 7})

    with caplog.at_level(logging.ERROR, logger="picketline.supporters.campaign_end"):
        assert retention.erase_after_campaign(today=date(2026, 4, 30)) == 3

    assert not Supporter.objects.exists()
    assert HeldNotice.objects.get().item == {"number": 7}  # kept for the next run
    assert any(tell in record.getMessage() for record in caplog.records)


def test_a_notice_that_fails_does_not_keep_the_others_from_going(campaign_over):
    HeldNotice.objects.create(tell=f"{__name__}.tell_and_fail", item={"number": 1})
    HeldNotice.objects.create(tell=f"{__name__}.tell_the_staff", item={"number": 2})

    assert tell_held_notices() == 1

    assert TOLD == [[{"number": 2}]]
    assert list(HeldNotice.objects.values_list("item", flat=True)) == [{"number": 1}]
