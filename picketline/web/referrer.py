"""Referrer policy for pages whose forms POST back to this site.

The site sends ``Referrer-Policy: no-referrer``. Under it, browsers send ``Origin: null`` with a
form's POST, and Django's CSRF check refuses that origin; ``same-origin`` still sends nothing to
other sites.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse


def same_origin_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages whose forms POST back here: under the site-wide "no-referrer" browsers send
    "Origin: null" with the POST and Django's CSRF check refuses it. "same-origin" sends
    nothing to other sites either (the template says the same in a meta tag)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return wrapped
