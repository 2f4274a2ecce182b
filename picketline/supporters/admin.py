"""Admin for supporters: personal data only with its own permission, and every look logged
(``accounts.admin.AuditedPersonalDataAdmin``), the CSV export and erasure too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from picketline.accounts.admin import AuditedPersonalDataAdmin, ReadOnlyAdmin
from picketline.accounts.models import AuditEntry
from picketline.lib.csv_cells import CsvWriter
from picketline.supporters.models import (
    Consent,
    ConsentWording,
    DangerousCountry,
    ErasureLog,
    Subscription,
    Supporter,
)
from picketline.web.admin_filters import LanguageFilter

PERSONAL_FIELDS = ("email", "name", "phone", "country")

# The lists below grow with the campaign: dates are filtered by range (``DateFieldListFilter``,
# fixed choices) rather than by Django's date hierarchy, which reads the dates of every row.


@admin.register(Supporter)
class SupporterAdmin(AuditedPersonalDataAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    list_display = ["__str__", "language", "created_at", "confirmed_at"]
    list_filter = [
        LanguageFilter,
        ("created_at", admin.DateFieldListFilter),
        ("confirmed_at", admin.EmptyFieldListFilter),
    ]
    actions = ["export_csv", "erase_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # erasure (below) removes the person everywhere, not just this row

    def can_see_personal_data(self, request: HttpRequest) -> bool:
        return request.user.has_perm("supporters.view_personal_data")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        base = ["language", "created_at", "confirmed_at"]
        if self.can_see_personal_data(request):
            return [*PERSONAL_FIELDS, *base]
        return base

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.can_see_personal_data(request):
            # Nothing personal is shown, so there is nothing to log.
            return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Export selected supporters (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        if not request.user.has_perm("supporters.export_personal_data"):
            self.message_user(request, _("You may not export personal data."), messages.ERROR)
            return None
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="supporters.csv"'
        writer = CsvWriter(response)
        writer.writerow(["id", *PERSONAL_FIELDS, "language", "created_at", "confirmed_at"])
        count = 0
        for supporter in queryset:
            count += 1
            writer.writerow(
                [
                    supporter.pk,
                    *(getattr(supporter, f) for f in PERSONAL_FIELDS),
                    supporter.language,
                    supporter.created_at.isoformat(),
                    supporter.confirmed_at.isoformat() if supporter.confirmed_at else "",
                ]
            )
        AuditEntry.log(request.user, AuditEntry.Action.EXPORT, f"supporters.supporter {count}")
        return response

    @admin.action(description=_("Erase selected supporters everywhere"), permissions=("change",))
    def erase_selected(self, request: HttpRequest, queryset: Any) -> None:
        count = 0
        for supporter in queryset:
            supporter.erase(reason=ErasureLog.Reason.ORGANISER)
            count += 1
        AuditEntry.log(request.user, AuditEntry.Action.ERASE, f"supporters.supporter {count}")
        self.message_user(
            request,
            ngettext("Erased %(count)d supporter.", "Erased %(count)d supporters.", count)
            % {"count": count},
        )


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    list_display = [
        "__str__",
        "purpose",
        "partner",
        "language",
        "given_at",
        "confirmed_at",
        "withdrawn_at",
    ]
    list_select_related = ["partner"]
    list_filter = ["purpose", LanguageFilter, ("given_at", admin.DateFieldListFilter)]


@admin.register(ConsentWording)
class ConsentWordingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "language", "first_used_at"]
    list_filter = ["language"]


@admin.register(ErasureLog)
class ErasureLogAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "reason", "actions"]
    list_filter = ["reason"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    list_display = ["__str__", "language", "created_at", "confirmed_at"]
    list_filter = [
        LanguageFilter,
        ("created_at", admin.DateFieldListFilter),
        ("confirmed_at", admin.EmptyFieldListFilter),
    ]


@admin.register(DangerousCountry)
class DangerousCountryAdmin(admin.ModelAdmin):
    list_display = ["code", "note"]


from picketline.supporters import partner_admin  # noqa: E402,F401  (registers the partners' admin)
