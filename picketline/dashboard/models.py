"""Counts kept as actions are taken and confirmed, so the dashboard reads a few hundred rows
instead of counting every action of a million supporters at each view."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kind under which supporters confirmed for the first time are counted.
NEW_SUPPORTERS = "supporters.supporter"
# What an action is counted under: each action adds to one row per dimension, so a figure
# reads the rows of its own dimension and nothing else. "all" has the value "".
DIMENSIONS = ("all", "action", "country", "language", "partner", "source")


class DailyCount(models.Model):
    """Actions stored (``submitted``) and confirmed (``confirmed``) on one day, per kind of
    action ("letters.letter"), counted under one dimension and one value of it: which action
    of the kind ("action"), the supporter's own country, the language, the partner's id, the
    source, or "all". Nothing in a row names a person."""

    dimension = models.CharField(_("counted by"), max_length=10)
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=60)
    # "" where the action has none (no partner, no country given): the upsert's conflict
    # target needs a value in every column (NULLs never conflict in a unique index).
    value = models.CharField(_("value"), max_length=40, blank=True, default="")
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        # Its index starts with the dimension and the day: a figure reads one dimension over
        # one period, a range of the index (days × kinds × values, not every action's key).
        constraints = [
            models.UniqueConstraint(
                fields=("dimension", "day", "kind", "value"), name="dashboard_dailycount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.dimension}={self.value} {self.submitted}/{self.confirmed}"


class PendingCount(models.Model):
    """One action stored or confirmed, not yet added to ``DailyCount``: the request appends a
    row of its own here, and the worker adds the rows up (``counting.fold``). A request that
    added to the day's rows directly would hold their lock until its commit, and every
    submission and confirmation of the kind, in every web process, would wait in line for it.
    The columns are ``counting.Key``'s; nothing in a row names a person."""

    day = models.DateField()
    kind = models.CharField(max_length=60)
    action = models.CharField(max_length=40, blank=True, default="")
    country = models.CharField(max_length=40, blank=True, default="")
    language = models.CharField(max_length=8, blank=True, default="")
    partner = models.PositiveIntegerField(default=0)  # the partner's id, 0 for none
    source = models.CharField(max_length=40, blank=True, default="")
    submitted = models.PositiveSmallIntegerField(default=0)
    confirmed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("count not yet added up")
        verbose_name_plural = _("counts not yet added up")

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
