from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.events.local_times import LocalTimesForm, local_span, local_text
from picketline.events.models import Event, HostedAction, HostedReport, Registration
from picketline.events.organise import REVIEW_HOSTED
from picketline.web.admin_log import NeutralAdminLog


class EventAdminForm(LocalTimesForm):
    local_fields = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    class Meta:
        model = Event
        fields = "__all__"


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "kind",
        "local_start",
        "capacity",
        "published",
        "registrants_link",
    )
    list_filter = ("kind", "published", "campaign")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("sequence", "local_times")
    fieldsets = (
        (None, {"fields": ("campaign", "kind", "slug", "title", "description", "published")}),
        (
            _("When"),
            {"fields": ("local_times", "starts_at", "ends_at", "time_zone", "reminder_minutes")},
        ),
        (_("Languages"), {"fields": ("languages", "interpretation")}),
        (
            _("Where"),
            {"fields": ("venue_name", "address", "country", "latitude", "longitude")},
        ),
        (
            _("Registration"),
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
            _("Online"),
            {"fields": ("join_url", "broadcast_url", "broadcast_embed_url", "recording_url")},
        ),
        (_("Calendar"), {"fields": ("sequence",)}),
    )

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj: Event) -> str:
        return local_text(obj.starts_at, obj.time_zone)

    @admin.display(description=_("local time"))
    def local_times(self, obj: Event) -> str:
        return local_span(obj)

    @admin.display(description=_("registrants"))
    def registrants_link(self, obj: Event) -> str:
        if not obj.registration_required:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("events:organise", args=[obj.slug]), _("registrants")
        )

    def save_model(self, request: HttpRequest, obj: Event, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        moved = any(_base_name(name) in Event.SCHEDULE_FIELDS for name in form.changed_data)
        if change and moved:
            told = obj.announce_change()
            self.message_user(
                request,
                ngettext(
                    "The change was sent to %(n)d registrant with an updated calendar entry.",
                    "The change was sent to %(n)d registrants with updated calendar entries.",
                    told,
                )
                % {"n": told},
                messages.INFO,
            )


def _base_name(field_name: str) -> str:
    """``venue_name_de`` → ``venue_name``: a translated field counts as its base field."""
    for base in Event.SCHEDULE_FIELDS:
        if field_name == base or field_name.startswith(base + "_"):
            return base
    return field_name


# A registration's moments, shown on the clocks of its event's zone, the zone named.
REGISTRATION_MOMENTS = (
    "created_at",
    "confirmed_at",
    "waitlisted_at",
    "offer_expires_at",
    "cancelled_at",
    "checked_in_at",
)


def _on_the_event_s_clocks(name: str):
    @admin.display(description=Registration._meta.get_field(name).verbose_name, ordering=name)
    def shown(self, obj: Registration) -> str:
        return local_text(getattr(obj, name), obj.event.time_zone)

    shown.__name__ = f"{name}_local"
    return shown


@admin.register(Registration)
class RegistrationAdmin(NeutralAdminLog):
    """Seats and statuses only: personal data is on the organiser pages, behind a permission
    and the audit log."""

    show_full_result_count = False  # one count of a large table per page, not two

    list_display = (
        "__str__",
        "event",
        "status",
        "seat",
        "language",
        "created_at_local",
        "checked_in_at_local",
    )
    list_select_related = ("event",)
    list_filter = ("event", "status")
    fields = ("event", "status", "seat", "language", *(f"{n}_local" for n in REGISTRATION_MOMENTS))
    readonly_fields = fields
    created_at_local = _on_the_event_s_clocks("created_at")
    confirmed_at_local = _on_the_event_s_clocks("confirmed_at")
    waitlisted_at_local = _on_the_event_s_clocks("waitlisted_at")
    offer_expires_at_local = _on_the_event_s_clocks("offer_expires_at")
    cancelled_at_local = _on_the_event_s_clocks("cancelled_at")
    checked_in_at_local = _on_the_event_s_clocks("checked_in_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class HostedActionAdminForm(LocalTimesForm):
    local_fields = ("starts_at", "ends_at")

    class Meta:
        model = HostedAction
        fields = "__all__"


@admin.register(HostedAction)
class HostedActionAdmin(AuditedPersonalDataAdmin):
    """Review with the private contact happens on /events/organise/hosted/; here it is hidden."""

    form = HostedActionAdminForm
    list_display = ("title", "country", "city", "local_start", "status", "confirmed_at")
    list_filter = ("status",)  # the country is encrypted at rest
    exclude = ("supporter", "contact")
    readonly_fields = (
        "local_times",
        "status",
        "decided_at",
        "event",
        "created_at",
        "confirmed_at",
        "language",
    )
    actions = ["approve"]

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj: HostedAction) -> str:
        return local_text(obj.starts_at, obj.time_zone)

    @admin.display(description=_("local time"))
    def local_times(self, obj: HostedAction) -> str:
        return local_span(obj)

    def has_review_permission(self, request: HttpRequest) -> bool:
        """Deciding on a proposal, as the review page does: not the change that edits it."""
        return request.user.has_perm(REVIEW_HOSTED)

    @admin.action(
        description=_("Approve and publish the selected actions"), permissions=("review",)
    )
    def approve(self, request: HttpRequest, queryset) -> None:
        skipped = 0
        for hosted in queryset:
            try:
                hosted.approve()
            except ValueError:  # unconfirmed, or its host erased their data
                skipped += 1
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d action was not approved: it is unconfirmed, or its host erased "
                    "their data.",
                    "%(n)d actions were not approved: they are unconfirmed, or their hosts "
                    "erased their data.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )


@admin.register(HostedReport)
class HostedReportAdmin(AuditedPersonalDataAdmin):
    list_display = ("__str__", "participants", "status", "submitted_at")
    list_filter = ("status",)
