"""Where a form sends its user back to: the page it names in ``next``, if that page is on this
site, else a default (a form shown on several pages returns to the one it was sent from)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """A redirect to the form's ``next`` when it is a page of this site, else to the URL name
    ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(candidate)
    return redirect(default)
