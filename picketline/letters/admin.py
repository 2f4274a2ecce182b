from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from modeltranslation.admin import TranslationAdmin

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.accounts.models import AuditEntry
from picketline.letters import replies, target_csv
from picketline.letters.models import (
    READ_WITH_WRITERS,
    Delivery,
    Letter,
    LetterAction,
    LetterText,
    Reply,
    Target,
    TargetAddress,
    private_files,
)
from picketline.web.admin_log import NeutralAdminLog
from picketline.web.content import content_changed
from picketline.web.uploads import PictureRefused, check_picture_header, use_limited_uploads

# A reply's document: a scan or a PDF.
REPLY_DOCUMENT_MAX_BYTES = 20_000_000


class TargetAddressInline(admin.TabularInline):
    model = TargetAddress
    extra = 1
    fields = ["email", "delivery"]
    readonly_fields = ["delivery"]

    @admin.display(description=_("delivery"))
    def delivery(self, obj: TargetAddress) -> str:
        if not obj.pk:
            return ""
        return gettext("bouncing") if obj.bouncing else gettext("ok")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Target)
class TargetAdmin(TranslationAdmin):
    list_display = ["name", "organisation", "role", "country", "active", "is_demo"]
    list_filter = ["role", "country", "active", "is_demo"]
    search_fields = ["name", "organisation"]
    inlines = [TargetAddressInline]
    actions = ["export_csv"]
    change_list_template = "letters/admin/target_changelist.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_csv),
                name="letters_target_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_all),
                name="letters_target_export",
            ),
        ] + super().get_urls()

    @admin.action(description=_("Export the selected targets as CSV"))
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        return self._csv(queryset)

    def export_all(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        return self._csv(Target.objects.all())

    def _csv(self, queryset) -> HttpResponse:
        response = HttpResponse(
            target_csv.export_targets(queryset.prefetch_related("addresses")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="targets.csv"'
        return response

    def import_csv(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", gettext("The file is not UTF-8 text."))
            else:
                result = target_csv.import_targets(text)
                if result.ok:
                    messages.success(
                        request,
                        gettext("Imported: %(created)d new, %(updated)d updated.")
                        % {"created": result.created, "updated": result.updated},
                    )
                    return redirect(reverse("admin:letters_target_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "columns": target_csv.COLUMNS,
            "title": gettext("Import targets from CSV"),
        }
        return TemplateResponse(request, "letters/admin/target_import.html", context)


class LetterTextInline(admin.StackedInline):
    model = LetterText
    extra = 0


class LetterActionForm(forms.ModelForm):
    class Meta:
        model = LetterAction
        # The admin adds the other fields of its fieldsets.
        fields = ["targeting", "roles", "when_no_recipient", "fallback_targets"]

    def clean(self) -> dict:
        data = super().clean()
        fallback = data.get("fallback_targets")
        if data.get("targeting") != LetterAction.Targeting.COUNTRY_ROLE or fallback is None:
            return data
        # No supporter may meet a page that only says "sorry".
        if not fallback.exists():
            self.add_error(
                "fallback_targets",
                _("Choose who receives letters from countries without a recipient of their own."),
            )
        elif data.get("when_no_recipient") == LetterAction.WhenNoRecipient.POST and not any(
            target.postal_address for target in fallback
        ):
            self.add_error(
                "fallback_targets",
                _("For letters to post, at least one fallback target needs a postal address."),
            )
        if data.get("when_no_recipient") == LetterAction.WhenNoRecipient.POST and (
            data.get("fixed_targets") or []
        ):
            # One letter either goes by e-mail or is posted by the supporter, not half of each.
            self.add_error(
                "when_no_recipient",
                _("Letters to post cannot go to fixed targets by e-mail as well."),
            )
        return data


@admin.register(LetterAction)
class LetterActionAdmin(TranslationAdmin):
    form = LetterActionForm
    change_form_template = "letters/admin/letteraction_change_form.html"
    list_display = ["title", "published", "targeting", "sending_policy", "paused"]
    list_filter = ["published", "paused"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["fixed_targets", "fallback_targets"]
    inlines = [LetterTextInline]
    actions = ["pause_sending", "resume_sending"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "published", "sort_order"]}),
        (
            _("Recipients"),
            {
                "fields": [
                    "targeting",
                    "fixed_targets",
                    "roles",
                    "when_no_recipient",
                    "fallback_targets",
                ]
            },
        ),
        (_("Text"), {"fields": ["edit_policy", "offer_copy", "invite_to_hold_actions"]}),
        (
            _("Sending"),
            {
                "fields": [
                    "sending_policy",
                    "max_per_hour",
                    "window_start",
                    "window_end",
                    "paused",
                ]
            },
        ),
    ]

    def get_urls(self):
        coverage = self.admin_site.admin_view(self.coverage_view)
        return [
            path("<int:pk>/coverage/", coverage, name="letters_letteraction_coverage"),
            *super().get_urls(),
        ]

    def coverage_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Which countries the action's letters reach a recipient of their own in: all the
        world's, and those its writers came from."""
        action = get_object_or_404(LetterAction, pk=pk)
        if not self.has_view_permission(request, action):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "action": action,
            "coverage": replies.coverage(action),
            "title": gettext("Recipients by country: %(title)s") % {"title": action.title},
        }
        return TemplateResponse(request, "letters/admin/coverage.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            **(extra_context or {}),
            "coverage_url": reverse("admin:letters_letteraction_coverage", args=[object_id])
            if str(object_id).isdigit()
            else "",
        }
        return super().change_view(request, object_id, form_url, extra)

    def save_model(self, request, obj, form, change):
        was_paused = change and LetterAction.objects.filter(pk=obj.pk, paused=True).exists()
        super().save_model(request, obj, form, change)
        if obj.paused and not was_paused:
            obj.pause()
        elif was_paused and not obj.paused:
            obj.resume()

    @admin.action(description=_("Pause sending now"), permissions=("change",))
    def pause_sending(self, request, queryset):
        for action in queryset:
            action.pause()
        content_changed()
        self.message_user(request, gettext("Sending paused."))

    @admin.action(description=_("Resume sending"), permissions=("change",))
    def resume_sending(self, request, queryset):
        for action in queryset:
            action.resume()
        content_changed()
        self.message_user(request, gettext("Sending resumed where it stopped."))


def _without_pdf_unless_reader(request: HttpRequest, names, pdf_column: str) -> list[str]:
    """The PDFs carry the writers' names: their links only for those who may open them."""
    if request.user.has_perm(READ_WITH_WRITERS):
        return list(names)
    return [name for name in names if name != pdf_column]


class WritersOnlyForReaders:
    """What a letter tells of its writer (their country, the recipient chosen by it, the exact
    moments) only for those who read the letters with their writers (``READ_WITH_WRITERS``);
    the others get ``WITHOUT_WRITERS`` and may look rows up by ``LOOKUPS_WITHOUT_WRITERS``
    alone (any other lookup could find a moment by halving a range)."""

    WITHOUT_WRITERS: list[str] = []
    LOOKUPS_WITHOUT_WRITERS: set[str] = set()

    def get_list_display(self, request):
        if not request.user.has_perm(READ_WITH_WRITERS):
            return ["id", *self.WITHOUT_WRITERS]
        return super().get_list_display(request)

    def get_fields(self, request, obj=None):
        if not request.user.has_perm(READ_WITH_WRITERS):
            return self.WITHOUT_WRITERS
        return super().get_fields(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and not request.user.has_perm(READ_WITH_WRITERS):
            return lookup in self.LOOKUPS_WITHOUT_WRITERS
        return super().lookup_allowed(lookup, value, request)


@admin.register(Letter)
class LetterAdmin(WritersOnlyForReaders, NeutralAdminLog):
    """Letters without their personal data on the list; the paper version opens as a PDF.

    The writer's country and the exact moments they wrote and confirmed are theirs too: only
    those who may read the letters with their writers (``READ_WITH_WRITERS``) see them; the
    others (viewer, moderator) see which action, the language and the day it was confirmed,
    which the dashboard's daily counts tell anyway."""

    show_full_result_count = False  # one count of a large table per page, not two

    list_display = ["id", "action", "country", "language", "created_at", "confirmed_at", "paper"]
    # The writer's country is encrypted at rest: no filter by it.
    list_filter = ["action", ("confirmed_at", admin.EmptyFieldListFilter)]
    fields = ["action", "country", "language", "created_at", "confirmed_at", "paper"]
    readonly_fields = [*fields, "confirmed_on"]
    WITHOUT_WRITERS = ["action", "language", "confirmed_on"]
    # What the list filters ask for; any other lookup (``?confirmed_at__gte=…``) would find a
    # letter's moment by halving the range.
    LOOKUPS_WITHOUT_WRITERS = {"action__id__exact", "confirmed_at__isnull", "confirmed_at__isempty"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("confirmed on"), ordering="confirmed_at")
    def confirmed_on(self, obj: Letter) -> str:
        return date_format(timezone.localdate(obj.confirmed_at)) if obj.confirmed_at else ""

    @admin.display(description=_("on paper"))
    def paper(self, obj: Letter) -> str:
        url = reverse("letters:organiser_pdf", kwargs={"letter_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, gettext("PDF"))


@admin.register(Delivery)
class DeliveryAdmin(WritersOnlyForReaders, admin.ModelAdmin):
    """Where each confirmed letter stands; one PDF of all letters to a target for handing over.

    A delivery tells its letter's recipient (for a letter addressed by country, the writer's
    country) and its moments: as with the letters, only those who read the letters with their
    writers see them, or look deliveries up by anything but their action and status."""

    show_full_result_count = False  # one count of a large table per page, not two

    list_display = ["id", "action", "target", "status", "scheduled_for", "bundle"]
    list_filter = ["status", "action", "target__country"]
    fields = ["action", "target", "status", "scheduled_for", "created_at"]
    readonly_fields = fields
    list_select_related = ["action", "target"]
    WITHOUT_WRITERS = ["action", "status"]
    LOOKUPS_WITHOUT_WRITERS = {"status__exact", "action__id__exact"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_list_filter(self, request):
        if not request.user.has_perm(READ_WITH_WRITERS):
            return ["status", "action"]
        return self.list_filter

    def has_view_permission(self, request, obj=None):
        # A delivery's own page is named after its letter and recipient.
        if obj is not None and not request.user.has_perm(READ_WITH_WRITERS):
            return False
        return super().has_view_permission(request, obj)

    def get_list_display_links(self, request, list_display):
        if not request.user.has_perm(READ_WITH_WRITERS):
            return None
        return super().get_list_display_links(request, list_display)

    @admin.display(description=_("all letters to this target"))
    def bundle(self, obj: Delivery) -> str:
        url = reverse(
            "letters:target_bundle_pdf",
            kwargs={"action_id": obj.action_id, "target_id": obj.target_id},
        )
        return format_html('<a href="{}">{}</a>', url, gettext("PDF"))


class ReplyForm(forms.ModelForm):
    upload_refused = False

    # Kept in the private storage (``Reply.keep_document``); opened through the admin only.
    upload = forms.FileField(
        label=_("document"),
        required=False,
        help_text=_("A PDF or a picture of the reply, if there is one. Kept private."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    class Meta:
        model = Reply
        fields = ["action", "target", "received_on", "text"]
        help_texts = {
            "text": _(
                "Leave out the writers' names and addresses where you can. When a writer is "
                "erased, their name and address are taken out of this text as written here; "
                "another form of the name, and the document, stay as they are."
            ),
        }

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.upload_refused:
            raise forms.ValidationError(
                _("The document is larger than %(size)d MB.")
                % {"size": REPLY_DOCUMENT_MAX_BYTES // 1_000_000}
            )
        if upload:
            head = upload.read(64 * 1024)
            upload.seek(0)
            if head.startswith(b"%PDF-"):
                self.extension = "pdf"
            else:
                try:
                    kind, _width, _height = check_picture_header(head)
                except PictureRefused:
                    kind = ""
                if kind not in ("PNG", "JPEG"):
                    raise forms.ValidationError(_("Please send a PDF or a picture (PNG, JPEG)."))
                self.extension = "png" if kind == "PNG" else "jpg"
        return upload

    def clean(self):
        data = super().clean()
        action, target = data.get("action"), data.get("target")
        if action and not target:
            self.add_error("target", _("Which recipient replied?"))
        return data


@admin.register(Reply)
class ReplyAdmin(AuditedPersonalDataAdmin):
    """Replies from recipients: organisers record them; the writers' own answers come from
    the question fourteen days after their letter went out and are read here only (each
    look is in the audit log: a writer's words are their personal data)."""

    form = ReplyForm
    list_display = ["action", "target", "answer", "source", "received_on", "created_at"]
    list_filter = ["source", "answer", "action"]
    list_select_related = ["action", "target"]
    readonly_fields = ["source", "answer", "letter", "recorded_by", "download"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.source == Reply.Source.SUPPORTER:
            return ["action", "letter", "answer", "text", "created_at"]
        names = ["action", "target", "received_on", "text", "upload"]
        return [*names, "download", "recorded_by"] if obj is not None else names

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source == Reply.Source.SUPPORTER:
            return ["action", "letter", "answer", "text", "created_at"]
        return ["download", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        # A writer's answer is theirs: read here, never edited.
        if obj is not None and obj.source == Reply.Source.SUPPORTER:
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "upload_refused", False)
        return type(form.__name__, (form,), {"upload_refused": refused})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        upload = form.cleaned_data.get("upload")
        if upload:
            obj.keep_document(upload, form.extension)
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        # One by one, so that each reply's document leaves the private storage with it.
        for reply in queryset:
            reply.delete()

    @admin.display(description=_("document"))
    def download(self, obj: Reply) -> str:
        if not obj.document:
            return "—"
        url = reverse("admin:letters_reply_document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Open the document"))

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        return [
            path(
                "add/",
                self.with_upload_policy(self.add_view),
                name=f"{app}_{model}_add",
            ),
            path(
                "<path:object_id>/change/",
                self.with_upload_policy(self.change_view),
                name=f"{app}_{model}_change",
            ),
            path(
                "<int:pk>/document/",
                self.admin_site.admin_view(self.document_view),
                name=f"{app}_{model}_document",
            ),
            *super().get_urls(),
        ]

    def with_upload_policy(self, view):
        """``view`` with the site's upload policy (``web.uploads``): its handler must be in
        place before anything reads the form, the CSRF check included, which runs after."""

        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            use_limited_uploads(request, REPLY_DOCUMENT_MAX_BYTES)
            return csrf_protect(view)(request, *args, **kwargs)

        return self.admin_site.admin_view(csrf_exempt(limited))

    def document_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        reply = get_object_or_404(Reply, pk=pk)
        if not self.has_view_permission(request, reply):
            raise PermissionDenied
        if not reply.document:
            raise Http404("No document")
        AuditEntry.log(request.user, AuditEntry.Action.VIEW, f"letters.reply #{reply.pk} document")
        name = reply.document
        kind = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
        response = FileResponse(
            private_files().open(name, "rb"),
            content_type=kind,
            as_attachment=True,
            filename=f"reply-{reply.pk}.{name.rsplit('.', 1)[-1]}",
        )
        response["Cache-Control"] = "private, no-store"
        return response
