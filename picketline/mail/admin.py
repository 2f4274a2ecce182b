from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from picketline.mail.models import AddressHealth, OutgoingMessage
from picketline.web.admin_filters import LanguageFilter
from picketline.web.admin_log import NeutralAdminLog

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


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(NeutralAdminLog):
    show_full_result_count = False  # one count of a large table per page, not two
    # The last error says why a message failed, a message that could not be read included
    # (which key it needs); it holds an SMTP error's class and code, never an address.
    list_display = [
        "id",
        "kind",
        "status",
        "language",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", KindFilter, LanguageFilter]
    # Addresses and bodies are personal data: the outbox list shows only the envelope's state.
    fields = [
        "kind",
        "group",
        "status",
        "language",
        "created_at",
        "send_after",
        "send_before",
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

    def has_requeue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mail.requeue_outgoingmessage")

    actions = ["send_again"]

    @admin.action(
        description=_("Send again the messages that could not be read"),
        permissions=("requeue",),
    )
    def send_again(self, request, queryset):
        queued, unreadable = queryset.send_again_if_readable()
        self.message_user(
            request,
            ngettext(
                "%(count)d message is back in the queue.",
                "%(count)d messages are back in the queue.",
                queued,
            )
            % {"count": queued},
        )
        if unreadable:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message still cannot be read: the key it was written with is "
                    "not in PICKETLINE_ENCRYPTION_KEYS, or it is damaged.",
                    "%(count)d messages still cannot be read: the key they were written with "
                    "is not in PICKETLINE_ENCRYPTION_KEYS, or they are damaged.",
                    unreadable,
                )
                % {"count": unreadable},
                messages.WARNING,
            )


# The demo's local mailbox is registered by accounts.admin: its messages are personal data,
# and every look at them is logged (mail, below accounts, cannot import the audit log).


@admin.register(AddressHealth)
class AddressHealthAdmin(admin.ModelAdmin):
    list_display = ["address_index", "hard_failures", "bouncing_since", "last_delivered_at"]
    list_filter = [("bouncing_since", admin.EmptyFieldListFilter)]
    # The change permission (organisers) is for the action below, which clears a mark; nobody
    # sets one by hand.
    readonly_fields = [
        "address_index",
        "hard_failures",
        "bouncing_since",
        "last_failure_at",
        "last_delivered_at",
    ]
    actions = ["clear_bouncing"]

    @admin.action(description=_("Try these addresses again"), permissions=("change",))
    def clear_bouncing(self, request, queryset):
        queryset.update(hard_failures=0, bouncing_since=None)
