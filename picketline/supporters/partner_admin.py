"""Partners in the admin: organisers keep the records and hand out the embed snippets; a
partner's staff (``partners.PartnerMembership``) see their own partner only — its figures and
the supporters who agreed to hear from it — and every look and export is in the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from picketline.accounts.admin import AuditedPersonalDataAdmin
from picketline.accounts.models import AuditEntry
from picketline.accounts.roles import PARTNER_STAFF
from picketline.lib.csv_cells import CsvWriter
from picketline.lib.small_counts import SMALLEST_SHOWN, shown_count
from picketline.partners.models import Partner, PartnerMembership, partner_of
from picketline.supporters.embed import embeddable_actions, snippet
from picketline.supporters.models import ConfirmableAction, PartnerContact
from picketline.web.uploads import PictureRefused


def partner_figures(partner: Partner) -> list[tuple[str, str, int]]:
    """Confirmed actions that came through ``partner``: (kind, source, count), every kind of
    action included (each concrete ``ConfirmableAction``)."""
    rows = []
    for model in apps.get_models():
        if not issubclass(model, ConfirmableAction):
            continue
        counted = (
            model.objects.confirmed()
            .filter(partner=partner)
            .values("source")
            .annotate(count=Count("pk"))
            .order_by("source")
        )
        rows += [
            (str(model._meta.verbose_name_plural), row["source"], row["count"]) for row in counted
        ]
    return rows


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    logo_file = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, at most 200 kB.")
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "website",
            "languages",
            "contact",
            "origins",
            "link_codes",
            "active",
        ]

    def clean_logo_file(self) -> Any:
        upload = self.cleaned_data.get("logo_file")
        if upload:
            try:
                self.instance.set_logo(upload.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
            except PictureRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return upload


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "slug", "website", "active"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["current_logo", "figures", "figures_for_its_staff", "snippets"]

    def get_queryset(self, request: HttpRequest) -> Any:
        mine = partner_of(request.user)
        queryset = super().get_queryset(request)
        if mine is not None:
            return queryset.filter(pk=mine.pk)
        if request.user.groups.filter(name=PARTNER_STAFF).exists():
            return queryset.none()  # a partner's staff account no longer with its partner
        return queryset

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(PartnerForm.Meta.fields)
        if obj is not None:
            fields.append("current_logo")
        # The upload is the form's own field: staff who may only look get the logo shown.
        if obj is None or self.has_change_permission(request, obj):
            fields.append("logo_file")
        if obj is None:
            return fields
        # A partner's staff know their contacts by name and when each agreed: a small count of
        # one kind of action would tell them which of their contacts did what.
        figures = "figures_for_its_staff" if partner_of(request.user) else "figures"
        return [*fields, figures, "snippets"]

    @admin.display(description=_("Current logo"))
    def current_logo(self, partner: Partner) -> str:
        if not partner.logo_type:
            return gettext("No logo yet.")
        url = reverse("embed:logo", args=[partner.slug, partner.logo_version()])
        return format_html('<img src="{}" alt="{}" height="48">', url, partner.name)

    @admin.display(description=_("Confirmed actions that came through this partner"))
    def figures(self, partner: Partner) -> str:
        return self.figures_table(partner, partner_figures(partner))

    @admin.display(description=_("Confirmed actions that came through this partner"))
    def figures_for_its_staff(self, partner: Partner) -> str:
        fewer = _("fewer than %(count)d") % {"count": SMALLEST_SHOWN}
        rows = [
            (kind, source, fewer if shown_count(count) is None else count)
            for kind, source, count in partner_figures(partner)
        ]
        return self.figures_table(partner, rows)

    def figures_table(self, partner: Partner, rows: list[tuple[str, str, Any]]) -> str:
        contacts = (
            PartnerContact.objects.standing().filter(partner=partner).once_per_supporter().count()
        )
        table = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows
        ) or format_html("<tr><td colspan='3'>{}</td></tr>", _("None yet."))
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table><p>{}: {}</p>",
            _("Action"),
            _("Source"),
            _("Confirmed"),
            table,
            _("Supporters who agreed to hear from this partner"),
            contacts,
        )

    @admin.display(description=_("Embed snippets to copy"))
    def snippets(self, partner: Partner) -> str:
        languages = partner.languages.split() or [settings.LANGUAGE_CODE]
        return format_html_join(
            "",
            # The title is the label of its snippet (a screen reader names each box).
            "<p><label><strong>{} ({})</strong><br>"
            "<textarea readonly rows='3' cols='90'>{}</textarea></label></p>",
            (
                # Escaped: shown to be copied, not run here.
                (embed.title, language, escape(snippet(partner, embed, language)))
                for embed in embeddable_actions()
                for language in languages
            ),
        )


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner"]
    list_filter = ["partner"]


@admin.register(PartnerContact)
class PartnerContactAdmin(AuditedPersonalDataAdmin):
    """The supporters who agreed to hear from a partner; a partner's staff see their own only."""

    show_full_result_count = False
    list_display = ["partner", "supporter_name", "supporter_email", "language", "given_at"]
    list_filter = ["partner"]
    actions = ["export_csv"]
    fields = ["partner", "supporter_name", "supporter_email", "language", "given_at", "page"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = PartnerContact.objects.standing().select_related("supporter", "partner")
        mine = partner_of(request.user)
        if mine is not None:
            return queryset.filter(partner=mine).once_per_supporter()
        if request.user.has_perm("supporters.view_personal_data"):
            return queryset  # an organiser sees every partner's
        return queryset.none()

    def get_list_filter(self, request: HttpRequest) -> list[str]:
        return [] if partner_of(request.user) else self.list_filter

    # A partner's staff get what the consent names, the name and the e-mail address (and when
    # it was given): not the language, nor the page, which tells what the person did.
    PARTNER_SEES = ["partner", "supporter_name", "supporter_email", "given_at"]

    def get_list_display(self, request: HttpRequest) -> list[str]:
        return self.PARTNER_SEES if partner_of(request.user) else self.list_display

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.PARTNER_SEES if partner_of(request.user) else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Nor through the address: a filter on the language, the page or the kind of action
        # would tell them apart (the admin answers such a request with 400).
        if request is not None and partner_of(request.user) is not None:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the supporter withdraws on the privacy page

    @admin.display(description=_("name"))
    def supporter_name(self, contact: PartnerContact) -> str:
        return contact.supporter.name

    @admin.display(description=_("e-mail address"))
    def supporter_email(self, contact: PartnerContact) -> str:
        return contact.supporter.email

    @admin.action(description=_("Export selected partner contacts (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        if not request.user.has_perm("supporters.export_partnercontact"):
            self.message_user(request, _("You may not export personal data."), messages.ERROR)
            return None
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="partner-contacts.csv"'
        writer = CsvWriter(response)
        with_language = partner_of(request.user) is None  # an organiser's export
        writer.writerow(["partner", "name", "email", *(["language"] * with_language), "given_at"])
        count = 0
        # The selection, narrowed again to what this user may see.
        for contact in self.get_queryset(request).filter(pk__in=queryset.values("pk")):
            count += 1
            language = [contact.supporter.language] * with_language
            writer.writerow(
                [
                    contact.partner.name,
                    contact.supporter.name,
                    contact.supporter.email,
                    *language,
                    contact.given_at.isoformat(),
                ]
            )
        AuditEntry.log(request.user, AuditEntry.Action.EXPORT, f"supporters.partnercontact {count}")
        return response
