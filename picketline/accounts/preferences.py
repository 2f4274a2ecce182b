"""Each staff member's own language and clocks (``StaffPreferences``).

The organisers' pages (the admin, and the dashboard's pages under it) are shown in them:
``StaffPreferencesMiddleware`` runs after the log-in and, for a staff member on those pages,
activates their language (else the browser's stays, as ``LocaleMiddleware`` chose it) and their
time zone (else the site's), so Django's admin shows every date-time on their clocks. Pages
under a language prefix keep the prefix's language and the site's clocks: they are the
supporters' pages, and what they show must not depend on who looks.

Mail to a staff member is written in them: ``read_by(user)`` around the rendering. Without a
choice, mail is in ``settings.LANGUAGE_CODE`` on the site's clocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from picketline.accounts.models import StaffPreferences
from picketline.lib.zones import places_zones
from picketline.web.moments import moment_text


def preferences_of(user: Any) -> StaffPreferences | None:
    """The account's stored choice, None without one (or for no account)."""
    if not getattr(user, "pk", None):
        return None
    # The related object when it was read with the user (``staff_who_may``), else one query.
    return getattr(user, "staff_preferences", None)


def language_of(user: Any) -> str:
    """The language mail to ``user`` is written in."""
    preferences = preferences_of(user)
    return (preferences and preferences.language) or settings.LANGUAGE_CODE


def zone_of(user: Any) -> tzinfo:
    """The clocks the times in mail to ``user`` are on."""
    preferences = preferences_of(user)
    return ZoneInfo((preferences and preferences.time_zone) or settings.TIME_ZONE)


@contextmanager
def read_by(user: Any) -> Iterator[str]:
    """Render what is sent to ``user`` in their language, with ``{{ moment|in_zone }}`` and
    Django's date-times on their clocks. Yields the language, for the outbox row."""
    language = language_of(user)
    with translation.override(language), timezone.override(zone_of(user)):
        yield language


def on_organisers_pages(request: HttpRequest) -> bool:
    try:
        admin_index = reverse("admin:index", urlconf=getattr(request, "urlconf", None))
    except NoReverseMatch:  # a URLconf without the admin has no organisers' pages
        return False
    return request.path_info.startswith(admin_index)


class StaffPreferencesMiddleware:
    """A staff member's language and clocks on the organisers' pages (after the
    authentication and OTP middleware, which tell who they are)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: reading request.user opens the session, and a public page must not
        # get the 'Vary: Cookie' that comes with it.
        if not on_organisers_pages(request):
            return self.get_response(request)
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return self.get_response(request)
        preferences = preferences_of(user)
        if preferences is None:
            return self.get_response(request)
        if preferences.language:
            # Activated, not overridden: LocaleMiddleware's response (Content-Language) and
            # the admin's templates then say the same language.
            translation.activate(preferences.language)
            request.LANGUAGE_CODE = preferences.language
        if not preferences.time_zone:
            return self.get_response(request)
        # Overridden, not activated: the zone must not stay with the thread's next request.
        # The admin's responses are rendered inside get_response (streamed ones are files).
        with timezone.override(ZoneInfo(preferences.time_zone)):
            return self.get_response(request)


def language_choices() -> list[tuple[str, str]]:
    names = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
    site = get_language_info(settings.LANGUAGE_CODE)["name_local"]
    return [
        ("", _("not chosen: these pages follow your browser, mail is in %(language)s") % {
            "language": site,
        }),
        *names,
    ]  # fmt: skip


def zone_choices() -> list[tuple[str, str]]:
    site = _("not chosen: the site's clocks, %(zone)s") % {"zone": settings.TIME_ZONE}
    return [("", site), *((zone, zone.replace("_", " ")) for zone in places_zones())]


def language_field() -> forms.ChoiceField:
    """The language of a form that sets it (an empty choice keeps the site's)."""
    help_text = gettext_lazy("Of these pages and of the mail sent to you.")
    return forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=language_choices,
        required=False,
        help_text=help_text,
    )


def time_zone_field() -> forms.ChoiceField:
    """The time zone of a form that sets it (an empty choice keeps the site's)."""
    help_text = gettext_lazy("Times on these pages and in the mail sent to you are shown in it.")
    return forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=zone_choices, required=False, help_text=help_text
    )


class PreferencesForm(forms.ModelForm):
    language = language_field()
    time_zone = time_zone_field()

    class Meta:
        model = StaffPreferences
        fields = ["language", "time_zone"]


def own_account(request: HttpRequest) -> HttpResponse:
    """The staff member's own page: their language and time zone (any staff member, for
    themselves; ``admin_view`` lets only verified staff in)."""
    preferences = StaffPreferences.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None, instance=preferences or StaffPreferences(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.save()
        with translation.override(chosen.language or translation.get_language()):
            messages.success(request, _("Your language and time zone are saved."))
        return redirect("admin:own_account")
    context = {
        **admin.site.each_context(request),
        "title": _("Your language and time zone"),
        "form": form,
        "now": moment_text(timezone.now()),
    }
    response = TemplateResponse(request, "accounts/admin/own_account.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
