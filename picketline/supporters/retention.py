"""How long supporter data is kept, and the work that ends it.

- Unconfirmed actions go after SUPPORTERS_UNCONFIRMED_DAYS (7 by default), and with them any
  supporter who never confirmed anything.
- Everyone else is erased SUPPORTERS_RETENTION_MONTHS (24 by default) after the campaign ends:
  actions stay counted, anonymous. The end is the latest ``ends_on`` of the campaigns app's
  campaigns, else SUPPORTERS_CAMPAIGN_ENDS_ON (an ISO date); with neither, nothing is erased.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from picketline.supporters.campaign_end import erasing_at_the_campaigns_end, tell_held_notices
from picketline.supporters.flow import unconfirmed_lifetime
from picketline.supporters.models import (
    Consent,
    ErasureLog,
    Supporter,
    action_models,
    delete_mail_to,
)

logger = logging.getLogger(__name__)


def retention_months() -> int:
    return int(getattr(settings, "SUPPORTERS_RETENTION_MONTHS", 24))


def campaign_end() -> date | None:
    """The day the campaign ends, from the campaigns app if it has a Campaign model."""
    try:
        campaign_model = apps.get_model("campaigns", "Campaign")
    except LookupError:
        campaign_model = None
    if campaign_model is not None and any(
        f.name == "ends_on" for f in campaign_model._meta.get_fields()
    ):
        latest = (
            campaign_model.objects.order_by("-ends_on").values_list("ends_on", flat=True).first()
        )
        if latest:
            return latest
    configured = getattr(settings, "SUPPORTERS_CAMPAIGN_ENDS_ON", "")
    if configured:
        return date.fromisoformat(str(configured))
    return None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def erase_after() -> date | None:
    end = campaign_end()
    return add_months(end, retention_months()) if end else None


def purge_unconfirmed(now: datetime | None = None, batch: int = 500) -> int:
    """Delete actions never confirmed in time, their consents, and supporters left with
    nothing confirmed. Returns how many actions went."""
    now = now or timezone.now()
    cutoff = now - unconfirmed_lifetime()
    removed = 0
    for model in action_models():
        while True:
            # In the order of the index on confirmed_at, whose unconfirmed (null) entries are
            # the few read: along created_at, a batch would read every confirmed action older
            # than the cutoff before it found one.
            ids = list(
                model.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
                .order_by("confirmed_at")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            with transaction.atomic():
                Consent.objects.filter(
                    action_type=model._meta.label_lower, action_id__in=ids
                ).delete()
                removed += model.objects.filter(pk__in=ids, confirmed_at__isnull=True).delete()[0]
    # Supporters who never confirmed anything and have nothing left, a batch at a time: found
    # in one statement (not asked one by one: those who still have something are read again
    # every day), then locked and asked again, as a form may just have given one of them a new
    # action; deleted with the mail to them.
    after = 0
    while True:
        found = list(
            left_with_nothing(cutoff)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not found:
            break
        after = found[-1]
        with transaction.atomic():
            locked = Supporter.objects.select_for_update().filter(pk__in=found).order_by("pk")
            list(locked.values_list("pk", flat=True))
            gone = list(left_with_nothing(cutoff).filter(pk__in=found))
            Supporter.objects.filter(pk__in=[supporter.pk for supporter in gone]).delete()
            delete_mail_to([supporter.email for supporter in gone])
    if removed:
        ErasureLog.objects.create(
            reason=ErasureLog.Reason.RETENTION, actions={"unconfirmed": removed}
        )
    return removed


def left_with_nothing(cutoff: datetime) -> QuerySet[Supporter]:
    """Supporters who came before ``cutoff``, never confirmed anything and have nothing left:
    no action of any kind, no consent."""
    query = Supporter.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    for model in action_models():
        query = query.filter(~Exists(model.objects.filter(supporter=OuterRef("pk"))))
    return query.filter(~Exists(Consent.objects.filter(supporter=OuterRef("pk"))))


def erase_after_campaign(today: date | None = None, batch: int = 200) -> int:
    """Erase every supporter once the retention time after the campaign is over. Safe to
    kill at any point: the next run tells the staff what a killed run kept for them, and
    erases the rest."""
    tell_held_notices()
    limit = erase_after()
    today = today or timezone.localdate()
    if limit is None or today < limit:
        return 0
    erased = 0
    while True:
        supporters = list(Supporter.objects.order_by("pk")[:batch])
        if not supporters:
            break
        emails = [supporter.email for supporter in supporters]
        # The mail to the batch goes in one pass before anyone is erased, so that a kill never
        # leaves an erased person's mail behind; once more after, for mail queued meanwhile.
        delete_mail_to(emails)
        # Each person in a transaction of their own; the staff are told once of the batch.
        with erasing_at_the_campaigns_end():
            for supporter in supporters:
                supporter.erase(reason=ErasureLog.Reason.RETENTION, delete_mail=False)
                erased += 1
            delete_mail_to(emails)
    logger.info("retention: erased %s supporters", erased)
    return erased
