from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from picketline.jobs.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which workers run, and when each last showed a sign of life (read-only)."""

    list_display = ["worker", "started_at", "beat_at", "alive"]
    fields = ["worker", "started_at", "beat_at"]
    readonly_fields = fields

    @admin.display(boolean=True, description=_("alive"))
    def alive(self, heartbeat: WorkerHeartbeat) -> bool:
        return heartbeat.is_alive(timezone.now())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
