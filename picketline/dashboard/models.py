"""Counts kept as actions are taken and confirmed, so the dashboard reads a few hundred rows
instead of counting every action of a million supporters at each view."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kind under which supporters confirmed for the first time are counted.
NEW_SUPPORTERS = "supporters.supporter"
# What a count is kept per, day included; one row per combination.
DIMENSIONS = ("day", "kind", "action_key", "country", "language", "partner_id", "source")


class DailyCount(models.Model):
    """Actions stored (``submitted``) and confirmed (``confirmed``) on one day, per kind of
    action ("letters.letter"), which action of it, the supporter's own country, the language,
    the partner and the source. Nothing in a row names a person."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=60)
    action_key = models.CharField(_("action"), max_length=20, blank=True, default="")
    country = models.CharField(_("supporter's country"), max_length=2, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # 0 when no partner brought the action: the upsert's conflict target needs a value in
    # every column (NULLs never conflict in a unique index, on PostgreSQL as on SQLite).
    partner_id = models.PositiveIntegerField(_("partner"), default=0)
    source = models.CharField(_("source"), max_length=40, blank=True, default="")
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        # Its index starts with the day: every figure reads one period.
        constraints = [models.UniqueConstraint(fields=DIMENSIONS, name="dashboard_dailycount_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.submitted}/{self.confirmed}"


class ModerationDigest(models.Model):
    """The last digest mailed to moderators: what was waiting then, so an unchanged queue is
    not mailed again."""

    sent_at = models.DateTimeField(default=timezone.now)
    waiting = models.CharField(max_length=500)

    class Meta:
        verbose_name = _("moderation digest")
        verbose_name_plural = _("moderation digests")
        get_latest_by = "sent_at"

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M}"
