from django.db import models


class Counter(models.Model):
    """A rate-limit or log-in counter of ``picketline.web.limits`` when no Redis is configured:
    one row per key and window, counted up in one atomic statement."""

    key = models.CharField(max_length=250)
    hits = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        # A plain unique index (a unique field would get a pattern index too on PostgreSQL).
        constraints = [models.UniqueConstraint(fields=["key"], name="web_counter_one_per_key")]

    def __str__(self) -> str:
        return self.key
