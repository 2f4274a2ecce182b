"""Organisers keep the registers in the admin: a person with their case history as inlines, a
company with its concerns and partners. Bulk changes go through the import (with its preview)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from picketline.registers import exchange
from picketline.registers.models import (
    BusinessPartner,
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Procedure,
    Source,
    Union,
    WritingGuidance,
)
from picketline.web.content import content_changed


class CaseEventInline(TranslationStackedInline):
    model = CaseEvent
    extra = 0
    fields = [
        ("position", "kind"),
        ("happened_on", "precision"),
        "text",
        "articles",
        ("disputed", "disputed_note"),
        "sources",
    ]
    autocomplete_fields = ["sources"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("JSON or CSV file"))


def import_view(model_admin: admin.ModelAdmin, request: HttpRequest, register: str) -> HttpResponse:
    """Upload a file, see what it would change, then apply exactly what was shown.

    The preview page carries the file's text back in a hidden field; applying plans that text
    again against the database, then writes it.
    """
    if not model_admin.has_change_permission(request) or not model_admin.has_add_permission(
        request
    ):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta}
    context["title"] = _("Import people") if register == "people" else _("Import companies")
    if request.method == "POST" and "apply" in request.POST:
        text, fmt = request.POST.get("text", ""), request.POST.get("format", "json")
        try:
            plan = exchange.plan(exchange.read_records(text, fmt, register), register)
        except exchange.ImportError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        plan.apply()
        messages.success(request, _("Imported: %(summary)s.") % {"summary": plan.summary()})
        return redirect(f"admin:registers_{model_admin.model._meta.model_name}_changelist")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = "csv" if upload.name.lower().endswith(".csv") else "json"
        try:
            text = upload.read().decode("utf-8-sig")
            plan = exchange.plan(exchange.read_records(text, fmt, register), register)
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except exchange.ImportError as exc:
            form.add_error("file", str(exc))
        else:
            context.update({"plan": plan, "text": text, "format": fmt})
            return TemplateResponse(request, "registers/admin/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "registers/admin/import_form.html", context)


class ImportMixin:
    register = ""

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(
                    lambda request: import_view(self, request, self.register)
                ),
                name=f"registers_{self.model._meta.model_name}_import",
            )
        ]
        return urls + super().get_urls()


@admin.register(Person)
class PersonAdmin(ImportMixin, TranslationAdmin):
    register = "people"
    change_list_template = "registers/admin/change_list.html"
    list_display = ["name", "union", "city", "status", "status_reported_on", "is_published"]
    list_filter = ["status", "is_published", "union"]
    search_fields = ["name", "name_belarusian", "name_russian", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources", "status_sources"]
    inlines = [CaseEventInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["ref", "slug", "is_published"]}),
        (_("Names"), {"fields": ["name", "name_belarusian", "name_russian", "other_spellings"]}),
        (
            None,
            {"fields": ["union", "union_note", "role", "city", "notes", "disputed", "sources"]},
        ),
        (
            _("Last reported status"),
            {
                "fields": [
                    "status",
                    ("status_reported_on", "status_precision"),
                    "status_text",
                    "status_sources",
                    ("detained_on", "detained_precision"),
                    "released_on",
                ]
            },
        ),
        (_("Photo"), {"fields": ["photo", "photo_basis", "photo_source"]}),
    ]

    @admin.action(description=_("Publish the selected people"), permissions=("change",))
    def publish(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        queryset.update(is_published=True)
        content_changed()

    @admin.action(
        description=_("Withdraw the selected people from the public register"),
        permissions=("change",),
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        queryset.update(is_published=False)
        content_changed()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "published_on"]
    search_fields = ["url", "title"]


class LabourConcernInline(TranslationStackedInline):
    model = LabourConcern
    extra = 0
    autocomplete_fields = ["sources"]


class BusinessPartnerInline(TranslationStackedInline):
    model = BusinessPartner
    extra = 0
    autocomplete_fields = ["sources"]


@admin.register(Company)
class CompanyAdmin(ImportMixin, TranslationAdmin):
    register = "companies"
    change_list_template = "registers/admin/change_list.html"
    list_display = ["name", "name_cyrillic", "sector", "city", "sanctions_status", "is_published"]
    list_filter = ["sanctions_status", "is_published"]
    search_fields = ["name", "name_cyrillic", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [LabourConcernInline, BusinessPartnerInline]


@admin.register(Union)
class UnionAdmin(TranslationAdmin):
    list_display = ["abbreviation", "name", "key"]
    search_fields = ["key", "abbreviation", "name"]


@admin.register(WritingGuidance)
class WritingGuidanceAdmin(TranslationAdmin):
    list_display = ["title", "position", "is_published"]


@admin.register(Procedure)
class ProcedureAdmin(TranslationAdmin):
    list_display = ["title", "decided_on"]
    autocomplete_fields = ["sources"]
