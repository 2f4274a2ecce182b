"""Moderation in the admin: one queue for everything sent in, plus a list per kind and the log.

A moderator is a staff user with the ``submissions.moderate`` permission, which the "moderator"
role of ``picketline.accounts.roles`` carries. Every decision goes
through ``Submission.decide`` so it is logged and the sender is told."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.accounts.login import staff_is_verified
from picketline.accounts.models import AuditEntry
from picketline.submissions.models import (
    MODERATE,
    SUBMISSION_MODELS,
    ActionReport,
    Decision,
    Endorsement,
    NotWaiting,
    ReportPhoto,
    Status,
    Submission,
    VideoMessage,
    private_files,
)
from picketline.web.next_url import back_to

MODELS_BY_NAME = {model._meta.model_name: model for model in SUBMISSION_MODELS}


def moderator_group() -> Group:
    """The moderator role (``picketline.accounts.roles``), with this app's permissions."""
    from picketline.accounts.roles import MODERATOR, ensure_roles

    ensure_roles()
    return Group.objects.get(name=MODERATOR)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.Action.APPROVE, _("Approve and publish")),
            (Decision.Action.REQUEST_CHANGES, _("Ask for changes")),
            (Decision.Action.REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or request (sent to the sender, in their language if you write it so)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("action") in (Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason", _("Please say why, or what should change: the sender reads it.")
            )
        return data


def _require_moderator(request: HttpRequest) -> None:
    if not (staff_is_verified(request.user) and request.user.has_perm(MODERATE)):
        raise PermissionDenied


def _item_or_404(model_name: str, pk: int) -> Submission:
    model = MODELS_BY_NAME.get(model_name)
    if model is None:
        raise Http404("Unknown kind")
    item = model.objects.filter(pk=pk).first()
    if item is None:
        raise Http404("No such item")
    return item


@admin.register(Decision)
class DecisionAdmin(AuditedPersonalDataAdmin):
    change_list_template = "admin/submissions/change_list.html"
    list_display = ["decided_at", "action", "item", "moderator_name"]
    list_filter = ["action", "content_type"]
    search_fields = ["item", "moderator_name"]
    date_hierarchy = "decided_at"
    readonly_fields = [
        "decided_at", "action", "item", "content_type", "object_id", "moderator",
        "moderator_name", "reason",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "queue/",
                self.admin_site.admin_view(self.queue_view),
                name="submissions_decision_queue",
            ),
            path(
                "queue/<str:model_name>/<int:pk>/",
                self.admin_site.admin_view(self.decide_view),
                name="submissions_decision_decide",
            ),
            path(
                "original/<int:pk>/",
                self.admin_site.admin_view(self.original_view),
                name="submissions_decision_original",
            ),
            *super().get_urls(),
        ]

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        _require_moderator(request)
        sections = []
        for model in SUBMISSION_MODELS:
            waiting = list(model.objects.waiting().order_by("confirmed_at"))
            changes = list(
                model.objects.filter(status=Status.CHANGES_REQUESTED).order_by("decided_at")
            )
            sections.append(
                {
                    "label": model._meta.verbose_name_plural,
                    "model_name": model._meta.model_name,
                    "waiting": [
                        (item, DecisionForm(prefix=f"{model._meta.model_name}-{item.pk}"))
                        for item in waiting
                    ],
                    "changes": changes,
                }
            )
        AuditEntry.log(request.user, AuditEntry.Action.LIST, "submissions moderation queue")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderation queue"),
            "sections": sections,
            "total": sum(len(s["waiting"]) for s in sections),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/submissions/queue.html", context)

    def decide_view(self, request: HttpRequest, model_name: str, pk: int) -> HttpResponse:
        _require_moderator(request)
        if request.method != "POST":
            return redirect("admin:submissions_decision_queue")
        return _decide(request, _item_or_404(model_name, pk))

    def original_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The uploaded original, for moderators only (it is never public)."""
        _require_moderator(request)
        video = VideoMessage.objects.filter(pk=pk).exclude(original="").first()
        if video is None:
            raise Http404("No original")
        from picketline.submissions.ranges import ranged_file_response

        kind = "video/webm" if video.original.endswith(".webm") else "video/mp4"
        response = ranged_file_response(request, private_files(), video.original, kind)
        response["Cache-Control"] = "private, no-store"
        if response.status_code in (200, 206) and _starts_a_download(request):
            AuditEntry.log(
                request.user,
                AuditEntry.Action.VIEW,
                f"submissions.videomessage #{video.pk} original upload",
            )
        return response


def _starts_a_download(request: HttpRequest) -> bool:
    """A player fetches a video in many ranges; the audit log wants one line per viewing, the
    request for the start of the file."""
    wanted = request.headers.get("Range", "")
    return not wanted or wanted.replace(" ", "").startswith("bytes=0-")


@require_POST
def _decide(request: HttpRequest, item: Submission) -> HttpResponse:
    form = DecisionForm(request.POST, prefix=f"{item._meta.model_name}-{item.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{item.summary()}: {error}")
        return back_to(request, "admin:submissions_decision_queue")
    try:
        decision = item.decide(
            request.user, form.cleaned_data["action"], form.cleaned_data["reason"]
        )
    except NotWaiting:
        messages.warning(request, _("Someone else has decided on this already."))
        return back_to(request, "admin:submissions_decision_queue")
    messages.success(request, str(decision))
    return back_to(request, "admin:submissions_decision_queue")


class SubmissionAdmin(AuditedPersonalDataAdmin):
    show_full_result_count = False  # one count of a large table per page, not two
    change_list_template = "admin/submissions/change_list.html"
    list_filter = ["status"]
    date_hierarchy = "created_at"
    actions = ["approve_selected", "take_down_selected"]
    readonly_fields = [
        "status",
        "decided_at",
        "created_at",
        "confirmed_at",
        "language",
        "supporter",
        "decision_log",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Moderation log"))
    def decision_log(self, obj: Submission) -> str:
        rows = [
            (d.decided_at, d.get_action_display(), d.moderator_name, d.reason)
            for d in Decision.objects.for_item(obj)
        ]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {} — {} {}</li>", rows))

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE)

    @admin.action(
        description=_("Take the selected published items down and delete their files"),
        permissions=("moderate",),
    )
    def take_down_selected(self, request: HttpRequest, queryset) -> None:
        _require_moderator(request)
        done = 0
        for item in queryset.filter(status=Status.APPROVED):
            with transaction.atomic():
                item.withdraw(request.user)
            done += 1
        self.message_user(request, _("%(count)d taken down.") % {"count": done})

    @admin.action(
        description=_("Approve and publish the selected (confirmed) items"),
        permissions=("moderate",),
    )
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        _require_moderator(request)
        done = 0
        for item in queryset.waiting():
            try:
                item.decide(request.user, Decision.Action.APPROVE)
            except NotWaiting:  # withdrawn or decided since the list was drawn
                continue
            done += 1
        self.message_user(request, _("%(count)d approved.") % {"count": done})


# How the published copy's making went: its state, the tries, the last error, the next try.
PROCESSING_SHOWN = [
    "processing",
    "processing_attempts",
    "processing_error",
    "processing_retry_at",
]


@admin.register(VideoMessage)
class VideoMessageAdmin(SubmissionAdmin):
    list_display = ["__str__", "status", "processing", "created_at", "confirmed_at", "hashtags"]
    list_filter = ["status", "processing"]
    fields = [
        "text",
        "hashtags",
        "display_name",
        "link",
        "captions",
        "captions_language",
        *PROCESSING_SHOWN,
        *SubmissionAdmin.readonly_fields,
    ]
    readonly_fields = [*SubmissionAdmin.readonly_fields, *PROCESSING_SHOWN, "display_name"]


@admin.register(Endorsement)
class EndorsementAdmin(SubmissionAdmin):
    list_display = ["organisation", "country", "kind", "members", "status", "confirmed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["organisation", "country"]
    fields = [
        "organisation",
        "country",
        "kind",
        "members",
        "website",
        "statement",
        *SubmissionAdmin.readonly_fields,
    ]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    fields = ["file", "width", "height"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ActionReport)
class ActionReportAdmin(SubmissionAdmin):
    list_display = ["title", "kind", "country", "happened_on", "status", "confirmed_at"]
    list_filter = ["status", "kind"]
    # No search: title, country and company are encrypted at rest.
    autocomplete_fields = []
    raw_id_fields = ["company"]
    inlines = [ReportPhotoInline]
    fields = [
        "kind", "country", "happened_on", "title", "text", "group_name", "company", "company_name",
        "business_partner", "outcome", *SubmissionAdmin.readonly_fields,
    ]  # fmt: skip
