from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a periodic job last ran and is next due; one row per registered job.

    Workers claim a due job with a conditional UPDATE on ``next_run_at``, so with several
    workers each run happens once.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("scheduled job")

    def __str__(self) -> str:
        return self.name
