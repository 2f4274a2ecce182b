"""The audit log in the admin, and the ModelAdmin base that writes to it.

``AuditedPersonalDataAdmin`` is for any ModelAdmin that shows supporters' personal data (the
supporters themselves, and the actions of other apps): it writes an ``AuditEntry`` (who, when,
which records — never the data) for every change-list and change-form view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from picketline.accounts.models import AuditEntry


class AuditedPersonalDataAdmin(admin.ModelAdmin):
    def _what(self, detail: str) -> str:
        return f"{self.model._meta.label_lower} {detail}"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            AuditEntry.log(request.user, AuditEntry.Action.LIST, self._what("list"))
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            AuditEntry.log(request.user, AuditEntry.Action.VIEW, self._what(f"#{object_id}"))
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are proof: nobody adds, edits or deletes them in the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "what"]
    list_filter = ["action"]
    search_fields = ["username", "what"]
