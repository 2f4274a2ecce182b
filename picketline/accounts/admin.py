"""The audit log in the admin, and the ModelAdmin base that writes to it.

``AuditedPersonalDataAdmin`` is for any ModelAdmin that shows supporters' personal data (the
supporters themselves, and the actions of other apps): it writes an ``AuditEntry`` (who, when,
which records — never the data) for every change-list and change-form view, and logs what is
added, changed or deleted in Django's admin log by kind and number only
(``web.admin_log.NeutralAdminLog``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from picketline.accounts.invitations import InviteForm, invite
from picketline.accounts.models import AuditEntry, StaffInvitation, StaffPreferences
from picketline.accounts.preferences import PreferencesForm
from picketline.mail.models import MailboxMessage
from picketline.web.admin_log import NeutralAdminLog


class AuditedPersonalDataAdmin(NeutralAdminLog):
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


@admin.register(MailboxMessage)
class MailboxMessageAdmin(AuditedPersonalDataAdmin):
    """The demo's local mailbox: whole messages to supporters, so every look is logged."""

    list_display = ["subject", "to", "received_at"]
    fields = ["received_at", "from_email", "to", "subject", "body_text", "raw"]
    readonly_fields = fields
    search_help_text = _("The local mailbox holds the mail the demo would have sent.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "what"]
    list_filter = ["action"]
    search_fields = ["username", "what"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    """Administrators make set-up links here; the link is shown once, on the page that made
    it. Deleting a link that is not used yet revokes it."""

    list_display = ["__str__", "user", "created_by", "created_at", "expires_at", "used_at"]
    fields = ["user", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        link = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            _user, link = invite(
                data["username"],
                created_by=request.user.get_username(),
                role=data["role"] or None,
                lifetime=timedelta(hours=data["hours"]),
                language=data["language"],
                time_zone=data["time_zone"],
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("New set-up link"),
            "form": form,
            "link": link,
        }
        response = TemplateResponse(request, "accounts/admin/new_invitation.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


class StaffPreferencesInline(admin.StackedInline):
    """An administrator sets a new account's language and time zone where they make it; the
    person changes them on their own page (``admin:own_account``)."""

    model = StaffPreferences
    form = PreferencesForm
    can_delete = False
    extra = 1
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's own admin of accounts, with each account's language and time zone."""

    inlines = [*UserAdmin.inlines, StaffPreferencesInline]
