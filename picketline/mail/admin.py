from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from picketline.mail.models import AddressHealth, MailboxMessage, OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    list_display = ["id", "kind", "status", "language", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "kind", "language"]
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
