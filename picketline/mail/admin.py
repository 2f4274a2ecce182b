from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from picketline.mail.models import AddressHealth, MailboxMessage, OutgoingMessage

# The outbox holds millions of rows: its filters offer choices without reading every row (a
# field's own filter would ask for its distinct values, a scan of the whole outbox).
RECENT_FOR_KINDS = 2000


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        """The kinds among the latest messages."""
        recent = OutgoingMessage.objects.order_by("-pk").values_list("kind", flat=True)
        return [(kind, kind) for kind in sorted(set(recent[:RECENT_FOR_KINDS]))]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    list_display = ["id", "kind", "status", "language", "created_at", "sent_at", "attempts"]
    list_filter = ["status", KindFilter, LanguageFilter]
    # Addresses and bodies are personal data: the outbox list shows only the envelope's state.
    fields = [
        "kind",
        "group",
        "status",
        "language",
        "created_at",
        "send_after",
        "sent_at",
        "attempts",
        "last_error",
        "message_id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MailboxMessage)
class MailboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "received_at"]
    fields = ["received_at", "from_email", "to", "subject", "body_text", "raw"]
    readonly_fields = fields
    search_help_text = _("The local mailbox holds the mail the demo would have sent.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AddressHealth)
class AddressHealthAdmin(admin.ModelAdmin):
    list_display = ["address_index", "hard_failures", "bouncing_since", "last_delivered_at"]
    list_filter = [("bouncing_since", admin.EmptyFieldListFilter)]
    readonly_fields = ["address_index", "hard_failures", "last_failure_at", "last_delivered_at"]
    actions = ["clear_bouncing"]

    @admin.action(description=_("Try these addresses again"))
    def clear_bouncing(self, request, queryset):
        queryset.update(hard_failures=0, bouncing_since=None)
