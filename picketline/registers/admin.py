"""Organisers keep the registers in the admin: a person with their case history as inlines, a
company with its concerns and partners. Bulk changes go through the import (with its preview)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from picketline.registers.models import (
    BusinessPartner,
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Procedure,
    Source,
    WritingGuidance,
)
from picketline.web.content import content_changed


class CaseEventInline(admin.StackedInline):
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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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
        (None, {"fields": ["union", "role", "city", "notes", "disputed", "sources"]}),
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

    @admin.action(description=_("Publish the selected people"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        queryset.update(is_published=True)
        content_changed()

    @admin.action(description=_("Withdraw the selected people from the public register"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        queryset.update(is_published=False)
        content_changed()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "published_on"]
    search_fields = ["url", "title"]


class LabourConcernInline(admin.StackedInline):
    model = LabourConcern
    extra = 0
    autocomplete_fields = ["sources"]


class BusinessPartnerInline(admin.StackedInline):
    model = BusinessPartner
    extra = 0
    autocomplete_fields = ["sources"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cyrillic", "sector", "city", "sanctions_status", "is_published"]
    list_filter = ["sanctions_status", "is_published"]
    search_fields = ["name", "name_cyrillic", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [LabourConcernInline, BusinessPartnerInline]


@admin.register(WritingGuidance)
class WritingGuidanceAdmin(TranslationAdmin):
    list_display = ["title", "position", "is_published"]


@admin.register(Procedure)
class ProcedureAdmin(TranslationAdmin):
    list_display = ["title", "decided_on"]
    autocomplete_fields = ["sources"]
