from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from picketline.mail.models import MailboxMessage, OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
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
