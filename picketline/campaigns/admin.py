"""The organiser edits the whole campaign on one page: the campaign with its demands, actions,
hashtags, contacts, timeline and organisations as inlines, each text field once per language."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
)

from picketline.campaigns.models import (
    Campaign,
    Contact,
    Demand,
    Hashtag,
    LegalPage,
    Organisation,
    SupporterAction,
    TimelineEntry,
)
from picketline.web.content import content_changed


class DemandInline(TranslationStackedInline):
    model = Demand
    extra = 0
    fields = ["text", "position"]


class SupporterActionInline(TranslationStackedInline):
    model = SupporterAction
    extra = 0
    fields = ["position", "slug", "kind", "title", "summary", "body", "cta_label", "destination"]
    prepopulated_fields = {"slug": ["title_en"]}


class HashtagInline(admin.TabularInline):
    model = Hashtag
    extra = 0
    fields = ["text", "position"]


class ContactInline(TranslationStackedInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "phone", "email", "position"]


class TimelineEntryInline(TranslationStackedInline):
    model = TimelineEntry
    extra = 0
    fields = ["date", "starts_at", "ends_at", "important", "title", "text"]


class OrganisationInline(TranslationStackedInline):
    model = Organisation
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["role", "name", "url", "description", "position"]


@admin.register(Campaign)
class CampaignAdmin(TranslationAdmin):
    list_display = ["title", "starts_on", "ends_on", "day_of_action_on", "is_current", "status"]
    list_filter = ["is_current"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "slogan", "summary", "body", "is_current"]}),
        (_("Dates"), {"fields": ["starts_on", "ends_on", "time_zone"]}),
        (
            _("Day of Action"),
            {"fields": ["day_of_action_on", "day_of_action_title", "day_of_action_text"]},
        ),
    ]
    inlines = [
        DemandInline,
        SupporterActionInline,
        HashtagInline,
        ContactInline,
        TimelineEntryInline,
        OrganisationInline,
    ]

    @admin.display(description=_("status"))
    def status(self, campaign: Campaign) -> str:
        return campaign.status().label

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # A bulk delete skips Model.delete(), so the page cache is told here.
        super().delete_queryset(request, queryset)
        content_changed()


class PublicContentAdmin(TranslationAdmin):
    """Stand-alone lists, handy for finding one item across campaigns."""

    list_filter = ["campaign"]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        content_changed()


@admin.register(SupporterAction)
class SupporterActionAdmin(PublicContentAdmin):
    list_display = ["title", "kind", "destination", "campaign", "position"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(TimelineEntry)
class TimelineEntryAdmin(PublicContentAdmin):
    list_display = ["title", "date", "starts_at", "ends_at", "important", "campaign", "status"]

    @admin.display(description=_("status"))
    def status(self, entry: TimelineEntry) -> str:
        return entry.status().label


@admin.register(LegalPage)
class LegalPageAdmin(TranslationAdmin):
    """The imprint and the privacy policy, each text once per language."""

    list_display = ["__str__", "title", "updated_on"]
    fields = ["kind", "title", "body", "updated_on"]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        content_changed()
