"""Setting up a staff account from a one-time link: a password and an authenticator app in one
step. An administrator makes the link (in the admin, or ``picketline invite_organiser``); it
works once, for a limited time, and a newer link for the same account replaces it. Outside the
demo it is the only way to enrol an authenticator: the log-in never offers it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.models import INVITATION_LIFETIME, StaffInvitation, StaffPreferences
from picketline.accounts.preferences import language_field, time_zone_field
from picketline.accounts.roles import ROLES
from picketline.web.referrer import same_origin_referrer


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("admin:staff_invitation", kwargs={"token": token})


def invite(
    username: str,
    *,
    created_by: str,
    role: str | None = None,
    lifetime: timedelta = INVITATION_LIFETIME,
    language: str = "",
    time_zone: str = "",
) -> tuple[Any, str]:
    """A set-up link for the staff account ``username``, made if it does not exist (with no
    usable password, in ``role``). For an existing account the new password and authenticator
    replace the old ones once the link is used. A language or time zone given becomes the
    account's (the set-up page offers it, and the person may change it); none given leaves
    the account's choice as it is. Returns the user and the link."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True)
            user.set_unusable_password()
            user.save()
        elif not (user.is_staff and user.is_active):
            user.is_staff = user.is_active = True
            user.save(update_fields=["is_staff", "is_active"])
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if language or time_zone:
            StaffPreferences.keep(user, language=language, time_zone=time_zone)
        _invitation, token = StaffInvitation.issue(user, created_by=created_by, lifetime=lifetime)
    return user, invitation_url(token)


class InviteForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("keep the account's roles"))] + [(role, role) for role in ROLES],
    )
    hours = forms.IntegerField(
        label=_("The link works for (hours)"),
        min_value=1,
        max_value=24 * 7,
        initial=int(INVITATION_LIFETIME.total_seconds() // 3600),
    )
    # What the set-up page offers the person first; they may choose otherwise there.
    language = language_field()
    time_zone = time_zone_field()


class SetUpForm(SetPasswordForm):
    """The person's own address, a new password (Django's checks) and the first code from the
    authenticator app."""

    # Without an address a staff account gets no moderators' digest and cannot send itself a
    # test of a mailing; the link is the one place where the person gives it.
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("For the tests of mailings you send yourself and the moderators' digest."),
    )
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    language = language_field()
    time_zone = time_zone_field()
    field_order = ["email", "language", "time_zone", "new_password1", "new_password2", "token"]

    def __init__(self, user: Any, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.device = device
        self.fields["email"].initial = user.email
        chosen = StaffPreferences.objects.filter(user=user).first()
        # What the administrator chose, else the language the person reads this page in.
        self.fields["language"].initial = (chosen and chosen.language) or get_language()
        self.fields["time_zone"].initial = chosen and chosen.time_zone

    def save(self, commit: bool = True) -> Any:
        self.user.email = self.cleaned_data["email"]
        user = super().save(commit)
        if commit:
            StaffPreferences.keep(
                user,
                language=self.cleaned_data["language"],
                time_zone=self.cleaned_data["time_zone"],
            )
        return user

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right. Check the time on your phone."), code="bad_code"
            )
        return token


def _device_for(invitation: StaffInvitation) -> TOTPDevice:
    """The authenticator this link enrols: its own, so a secret shown for an older link is
    never the one that gets confirmed."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=invitation.user,
        name=f"set-up link {invitation.pk}",
        defaults={"confirmed": False},
    )
    return device


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def page_language(request: HttpRequest, user: Any) -> str:
    """The language the set-up page speaks: the one the person picked in its form and sent
    (their switch: a form sent back speaks it), else the one the link was made with; empty
    (the browser's, as ``LocaleMiddleware`` chose it) when neither names one."""
    sites = {code for code, _name in settings.LANGUAGES}
    if "language" in request.POST:
        picked = request.POST["language"]
        return picked if picked in sites else ""
    chosen = StaffPreferences.objects.filter(user=user).first()
    return chosen.language if chosen and chosen.language in sites else ""


@sensitive_variables("token")
@same_origin_referrer
@sensitive_post_parameters()
@csrf_protect
@never_cache
def set_up_account(request: HttpRequest, token: str) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": _("Set up your organiser account")}
    invitation = StaffInvitation.usable_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_gone.html", context, status=404)
    user = invitation.user
    language = page_language(request, user)
    if language:
        # Activated like StaffPreferencesMiddleware does once the person is logged in: the
        # page, its <html lang> and LocaleMiddleware's Content-Language then say the same.
        translation.activate(language)
        request.LANGUAGE_CODE = language
    device = _device_for(invitation)
    form = SetUpForm(user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not invitation.use():
                return render(request, "accounts/invitation_gone.html", context, status=404)
            form.save()
            device.confirmed = True
            device.name = str(_("Authenticator app"))
            device.save(update_fields=["confirmed", "name"])
            # Whatever phone held this account's second factor before, it does no longer.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        otp_login(request, device)
        return redirect("admin:index")
    qr = segno.make(device.config_url, error="m")
    context.update(
        {
            "form": form,
            "username": user.get_username(),
            "qr_data_uri": qr.svg_data_uri(scale=4, dark="#000", light="#fff"),
            "secret": _base32(device.bin_key),
            "expires_at": invitation.expires_at,
        }
    )
    return render(request, "accounts/invitation.html", context)
