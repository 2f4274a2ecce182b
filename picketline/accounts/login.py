"""Organiser log-in: password, then a TOTP code; throttled; the admin site that asks for both.

Outside demo mode every staff account needs a confirmed TOTP device, and the admin lets a
session in only once it is verified by one (``request.user.is_verified()``, django-otp); the
session is not even logged in between the password and the code. The log-in never enrols a
device: a staff member without one is told to ask an administrator for a set-up link
(``accounts.invitations``), which sets the password and the authenticator together. The demo
keeps password-only log-in so anyone can look around.

Failed passwords are counted per account and client together (the account's blind index and
the client fingerprint), in counters every web process shares (``picketline.web.limits``);
past the limit the form refuses further tries at that account from that client for a while,
with the same answer whether or not the account exists. Nothing is counted per client alone
or for everyone: behind a proxy that hides client addresses one visitor's failures must not
lock every organiser out, and one client trying many accounts meets the password rules and
the second factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from picketline.accounts.invitations import set_up_account
from picketline.accounts.preferences import own_account
from picketline.web.clients import client_fingerprint
from picketline.web.fields import key_ring
from picketline.web.limits import count_hit, forget, hits
from picketline.web.moments import zone_text
from picketline.web.referrer import same_origin_referrer

FAILURE_WINDOW = 15 * 60


def otp_required() -> bool:
    return not settings.DEMO


def max_failures() -> int:
    return int(getattr(settings, "SUPPORTERS_LOGIN_MAX_FAILURES", 5))


def _failure_key(request: HttpRequest, username: str) -> str:
    account = key_ring().blind_index(username.strip().lower(), purpose="login")
    return f"login-fail:{account}:{client_fingerprint(request)}"


def login_blocked(request: HttpRequest, username: str) -> bool:
    return hits(_failure_key(request, username), FAILURE_WINDOW) >= max_failures()


def record_failure(request: HttpRequest, username: str) -> None:
    count_hit(_failure_key(request, username), FAILURE_WINDOW)


def clear_failures(request: HttpRequest, username: str) -> None:
    forget((_failure_key(request, username), FAILURE_WINDOW))


def staff_is_verified(user: Any) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if not otp_required():
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


PENDING_USER = "otp_pending_user"
PENDING_BACKEND = "otp_pending_backend"
PENDING_UNTIL = "otp_pending_until"
PENDING_SECONDS = 5 * 60


def _after_password(request: HttpRequest, user: Any) -> HttpResponse:
    """The password was right. In the demo that is enough; otherwise the session is not logged
    in at all until the code is typed too, so no staff-only page anywhere (admin or not) opens
    with a password alone."""
    next_url = _next_url(request)
    if not otp_required():
        auth_login(request, user)
        return redirect(next_url)
    if _confirmed_device(user) is None:
        return _no_authenticator(request)
    if not request.user.is_authenticated:
        request.session.cycle_key()
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_BACKEND] = user.backend
        request.session[PENDING_UNTIL] = time.time() + PENDING_SECONDS
    return redirect(f"{reverse('admin:otp_verify')}?next={next_url}")


def _no_authenticator(request: HttpRequest) -> HttpResponse:
    """Whoever knows the password of an account without a device gets no way to add one."""
    context = {**admin.site.each_context(request), "title": _("No authenticator app yet")}
    return render(request, "accounts/no_authenticator.html", context, status=403)


def _pending_user(request: HttpRequest) -> Any | None:
    """Who passed the password step in this session, and is still within the time for the code."""
    if request.user.is_authenticated and request.user.is_staff:
        return request.user  # logged in some other way (an old session): the code is still due
    pk = request.session.get(PENDING_USER)
    if not pk or request.session.get(PENDING_UNTIL, 0) < time.time():
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True, is_staff=True).first()


def _complete(request: HttpRequest, user: Any, device: TOTPDevice) -> HttpResponse:
    if not request.user.is_authenticated:
        auth_login(request, user, backend=request.session.get(PENDING_BACKEND))
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_UNTIL):
        request.session.pop(key, None)
    otp_login(request, device)
    return redirect(_next_url(request))


@same_origin_referrer
@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_staff:
        if staff_is_verified(request.user):
            return redirect(_next_url(request))
        return _after_password(request, request.user)
    form = AuthenticationForm(request, data=request.POST or None)
    blocked = failed = False
    if request.method == "POST":
        username = request.POST.get("username", "")
        if login_blocked(request, username):
            blocked = True
            form = AuthenticationForm(request)
        elif form.is_valid() and form.get_user().is_staff:
            clear_failures(request, username)
            return _after_password(request, form.get_user())
        else:
            # Wrong password, unknown account or not staff: one answer for all three.
            record_failure(request, username)
            failed = True
            form = AuthenticationForm(request, initial={"username": username})
    context = {
        **admin.site.each_context(request),
        "form": form,
        "blocked": blocked,
        "failed": failed,
        "next": _next_url(request),
        "title": _("Log in"),
    }
    return render(request, "accounts/login.html", context, status=429 if blocked else 200)


@same_origin_referrer
@csrf_protect
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("admin:login")
    device = _confirmed_device(user)
    if device is None:
        return _no_authenticator(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed = device.verify_is_allowed()[0]
        if allowed and device.verify_token(form.cleaned_data["token"].strip()):
            return _complete(request, user, device)
        form.add_error(
            "token",
            _("That code is not right.")
            if allowed
            else _("Too many wrong codes. Wait a little and try again."),
        )
    context = {
        **admin.site.each_context(request),
        "form": form,
        "next": _next_url(request),
        "title": _("Two-factor log-in"),
    }
    return render(request, "accounts/otp_verify.html", context)


@never_cache
def logout_view(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    if request.method == "POST":
        auth_logout(request)
    return redirect("admin:login")


def verified_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For organiser pages outside the admin: staff only, and outside demo mode only once
    their second factor is verified, as in the admin."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_is_verified(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class OrganiserAdminSite(admin.AdminSite):
    """The admin with our log-in and the OTP requirement: Django's default admin site
    (``OrganiserAdminConfig.default_site``), so ``admin.site`` and ``@admin.register`` are it."""

    index_template = "accounts/admin/index.html"
    # Organisers work here, not Django's administrators: every page's header and title say so.
    site_header = _("Picketline: organisers' pages")
    site_title = _("Picketline organisers")

    def has_permission(self, request: HttpRequest) -> bool:
        return staff_is_verified(request.user)

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Django's index, with the organiser pages other apps add (``admin_links``)."""
        from picketline.accounts.admin_links import links_for

        pages = links_for(request.user) if self.has_permission(request) else []
        # Which clocks the times on every page are on (the organiser's own, or the site's).
        zone = zone_text(None, timezone.now())
        extra = {"organiser_pages": pages, "reading_zone": zone, **(extra_context or {})}
        return super().index(request, extra)

    def get_urls(self) -> list:
        return [
            path("otp/verify/", otp_verify, name="otp_verify"),
            path("welcome/<str:token>/", set_up_account, name="staff_invitation"),
            path("account/", self.admin_view(own_account), name="own_account"),
            *super().get_urls(),
        ]

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return login_view(request, extra_context)

    def logout(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return logout_view(request, extra_context)
