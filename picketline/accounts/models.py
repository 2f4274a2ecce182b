from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """An organiser saw or exported supporters' personal data: who, when, what — never the data."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(max_length=200, help_text=_("Which records, by type and number."))

    class Meta:
        # The table the supporters app created: the model moved here, its rows stayed put.
        db_table = "supporters_auditentry"
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.what}"

    @classmethod
    def log(cls, user: Any, action: str, what: str) -> AuditEntry:
        return cls.objects.create(
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "?",
            action=action,
            what=what[:200],
        )
