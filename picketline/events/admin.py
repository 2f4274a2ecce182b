from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from picketline.events.models import Event


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "kind", "starts_at", "time_zone", "capacity", "published")
    list_filter = ("kind", "published", "campaign")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("sequence",)
    fieldsets = (
        (None, {"fields": ("campaign", "kind", "slug", "title", "description", "published")}),
        ("When", {"fields": ("starts_at", "ends_at", "time_zone", "reminder_minutes")}),
        ("Languages", {"fields": ("languages", "interpretation")}),
        (
            "Where",
            {"fields": ("venue_name", "address", "country", "latitude", "longitude")},
        ),
        (
            "Registration",
            {
                "fields": (
                    "registration_required",
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                )
            },
        ),
        (
            "Online",
            {"fields": ("join_url", "broadcast_url", "broadcast_embed_url", "recording_url")},
        ),
        ("Calendar", {"fields": ("sequence",)}),
    )
