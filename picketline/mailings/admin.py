"""Writing and sending mailings in the admin.

Organisers compose a mailing (a version per language, the audience, the rate) as a draft, then
from its page: preview it as one real recipient would get it (personal data: needs
``supporters.view_personal_data`` and is audited), send a test to their own address, schedule
it (``mailings.send_mailing``, audited), cancel it, and read its report. Every step is a plain
page with a form: nothing needs JavaScript.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from picketline.accounts.models import AuditEntry
from picketline.mailings import audience, sending
from picketline.mailings.models import Mailing, MailingVersion
from picketline.supporters.models import Supporter
from picketline.web.countries import country_choices
from picketline.web.moments import moment_text, zone_text


class MailingForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )
    countries = forms.MultipleChoiceField(
        label=_("countries"),
        choices=(),
        required=False,
        help_text=_("None chosen: every country, and people who gave none."),
    )
    took_action = forms.ChoiceField(label=_("took this kind of action"), required=False)

    class Meta:
        model = Mailing
        fields = [
            "title",
            "fallback_language",
            "partner",
            "languages",
            "countries",
            "took_action",
            "event",
            "rate",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()
        self.fields["took_action"].choices = [("", _("any or none")), *audience.action_kinds()]


class MailingVersionInline(admin.StackedInline):
    model = MailingVersion
    extra = 1
    fields = ["language", "subject", "body"]


class PreviewForm(forms.Form):
    email = forms.EmailField(
        label=_("recipient's e-mail address"),
        required=False,
        help_text=_("Empty: the first person in the audience."),
    )


# A time typed to the minute is up to a minute old when it arrives; a slow hand, a few more.
PAST_TIME_ACCEPTED = timedelta(minutes=5)


class ScheduleForm(forms.Form):
    # Typed and read on the reader's clocks: the organiser's own, else the site's.
    send_at = forms.DateTimeField(
        label=_("send at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = zone_text(None, timezone.now())
        self.fields["send_at"].label = _("send at (%(zone)s)") % {"zone": zone}

    def clean_send_at(self) -> datetime | None:
        # A time that has passed would send at once: a mistyped year or day must not.
        when = self.cleaned_data["send_at"]
        now = timezone.now()
        if when is not None and when < now - PAST_TIME_ACCEPTED:
            raise forms.ValidationError(
                _("This time has passed (it is now %(now)s). Leave it empty to send now."),
                params={"now": moment_text(now)},
            )
        return when


class TestForm(forms.Form):
    language = forms.ChoiceField(label=_("version"))

    def __init__(self, mailing: Mailing, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            (version.language, names.get(version.language, version.language))
            for version in mailing.versions.order_by("language")
        ]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    form = MailingForm
    inlines = [MailingVersionInline]
    list_display = ["title", "state", "scheduled_at", "queued", "sent", "failed", "unsubscribed"]
    list_filter = ["state"]
    change_form_template = "admin/mailings/mailing/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "fallback_language"]}),
        (
            _("Audience"),
            {
                "fields": ["partner", "languages", "countries", "took_action", "event"],
                "description": _(
                    "Only people with a standing consent: to the organisers' news, or with a "
                    "partner named, to that partner's. Addresses that bounce are left out."
                ),
            },
        ),
        (_("Sending"), {"fields": ["rate"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Mailing | None = None) -> bool:
        # Once scheduled a mailing is what it is: cancel it back to a draft to change it.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Mailing | None = None) -> bool:
        # Only a draft: the unsubscribe links of a mailing that went out must keep working.
        if obj is not None and obj.state != Mailing.State.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        mailing = Mailing.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if mailing is not None:
            extra_context = {**(extra_context or {}), "coverage": self._coverage(mailing)}
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _coverage(mailing: Mailing) -> list[tuple[str, str]]:
        """Which version the readers of each language get: their own, or the fallback's."""
        names = dict(settings.LANGUAGES)
        written = set(mailing.versions.values_list("language", flat=True))
        fallback = names.get(mailing.fallback_language, mailing.fallback_language)
        rows = []
        for code, name in settings.LANGUAGES:
            if code in written:
                rows.append((str(name), gettext("its own version")))
            elif mailing.fallback_language in written:
                rows.append(
                    (str(name), gettext("the fallback, %(language)s") % {"language": fallback})
                )
            else:
                rows.append((str(name), gettext("nothing: write the fallback version")))
        return rows

    def get_actions(self, request: HttpRequest) -> dict:
        # Deleting goes one draft at a time (the bulk action would take sent mailings too).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Mailing, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)

    def get_urls(self):
        def view(func, suffix: str):
            return path(
                f"<int:pk>/{suffix}/",
                self.admin_site.admin_view(func),
                name=f"mailings_mailing_{suffix}",
            )

        return [
            view(self.preview_view, "preview"),
            view(self.test_view, "test"),
            view(self.schedule_view, "schedule"),
            view(self.cancel_view, "cancel"),
            view(self.report_view, "report"),
            *super().get_urls(),
        ]

    # The pages ---------------------------------------------------------------------------

    def _mailing(self, request: HttpRequest, pk: int) -> Mailing:
        mailing = get_object_or_404(Mailing, pk=pk)
        if not self.has_view_permission(request, mailing):
            raise PermissionDenied
        return mailing

    def _page(
        self, request: HttpRequest, mailing: Mailing, template: str, title: str, **context: Any
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": mailing,
            "mailing": mailing,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"admin/mailings/mailing/{template}", context)

    def _back(self, mailing: Mailing) -> HttpResponse:
        return redirect(reverse("admin:mailings_mailing_change", args=[mailing.pk]))

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not request.user.has_perm("supporters.view_personal_data"):
            raise PermissionDenied
        criteria = audience.Criteria.of(mailing)
        form = PreviewForm(request.POST or None)
        context: dict[str, Any] = {"form": form, "audience_size": audience.count(criteria)}
        if request.method == "POST" and form.is_valid():
            supporter = self._recipient(form, criteria)
            if supporter is not None:
                written = sending.write(mailing, supporter, token="preview")
                AuditEntry.log(
                    request.user,
                    AuditEntry.Action.VIEW,
                    f"mailings.mailing #{mailing.pk} preview for supporters.supporter "
                    f"#{supporter.pk}",
                )
                context.update(
                    recipient=supporter,
                    written=written,
                    in_audience=audience.contains(criteria, supporter),
                )
        return self._page(request, mailing, "preview.html", gettext("Preview"), **context)

    def _recipient(self, form: PreviewForm, criteria: audience.Criteria) -> Supporter | None:
        email = form.cleaned_data["email"]
        if email:
            supporter = Supporter.objects.for_email(email)
            if supporter is None:
                form.add_error("email", gettext("No supporter has this address."))
            return supporter
        first = next((batch for _last, batch in audience.batches(criteria, size=50) if batch), None)
        if first is None:
            form.add_error(None, gettext("Nobody is in the audience."))
            return None
        return Supporter.objects.get(pk=first[0].pk)

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not request.user.has_perm("mailings.change_mailing"):
            raise PermissionDenied
        form = TestForm(mailing, request.POST or None)
        to = request.user.email
        if request.method == "POST" and form.is_valid():
            if not to:
                form.add_error(None, gettext("Your account has no e-mail address."))
            else:
                version = mailing.versions.get(language=form.cleaned_data["language"])
                sending.send_test(mailing, version, to, request.user.get_full_name())
                AuditEntry.log(
                    request.user,
                    AuditEntry.Action.SEND,
                    f"mailings.mailing #{mailing.pk} test to the organiser's own address",
                )
                messages.success(
                    request, gettext("A test is on its way to %(address)s.") % {"address": to}
                )
                return self._back(mailing)
        return self._page(
            request, mailing, "test.html", gettext("Send a test to yourself"), form=form, to=to
        )

    def schedule_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not request.user.has_perm("mailings.send_mailing"):
            raise PermissionDenied
        form = ScheduleForm(request.POST or None)
        problem = self._why_not_ready(mailing)
        if request.method == "POST" and form.is_valid() and not problem:
            when = form.cleaned_data["send_at"] or timezone.now()
            if sending.schedule(mailing, when):
                size = audience.count(audience.Criteria.of(mailing))
                AuditEntry.log(
                    request.user,
                    AuditEntry.Action.SEND,
                    f"mailings.mailing #{mailing.pk} scheduled, about {size} recipients",
                )
                messages.success(request, gettext("The mailing is scheduled."))
            return self._back(mailing)
        return self._page(
            request,
            mailing,
            "schedule.html",
            gettext("Schedule"),
            form=form,
            problem=problem,
            audience_size=audience.count(audience.Criteria.of(mailing)),
        )

    @staticmethod
    def _why_not_ready(mailing: Mailing) -> str:
        if mailing.state != Mailing.State.DRAFT:
            return gettext("Only a draft can be scheduled.")
        if not mailing.versions.filter(language=mailing.fallback_language).exists():
            return gettext("Write the version in the fallback language first.")
        return ""

    def cancel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not request.user.has_perm("mailings.send_mailing"):
            raise PermissionDenied
        if request.method == "POST":
            state = sending.cancel(mailing)
            if state == Mailing.State.DRAFT:
                messages.success(request, gettext("The mailing is a draft again."))
            elif state == Mailing.State.CANCELLED:
                messages.success(request, gettext("The mailing is stopped."))
            return self._back(mailing)
        return self._page(request, mailing, "cancel.html", gettext("Cancel"))

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        return self._page(
            request, mailing, "report.html", gettext("Report"), report=sending.report(mailing)
        )
