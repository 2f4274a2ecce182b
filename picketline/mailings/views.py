"""The unsubscribe link of every mailing (RFC 8058).

The same address answers the mail provider's one-click POST (``List-Unsubscribe=One-Click``,
no cookie, no form token: the signed token in the address is the proof) and the footer link a
person opens: a GET only shows a page with one button, because mail scanners fetch links but
do not press buttons; the button POSTs the same body the provider would.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from picketline.mailings import sending
from picketline.supporters import withdrawal
from picketline.web.referrer import same_origin_referrer


@csrf_exempt  # RFC 8058: the provider's POST carries no cookie; the signed token is the proof
@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = sending.resolve_unsubscribe_token(token)
    except sending.LinkProblem as problem:
        return render(
            request, "supporters/link_problem.html", {"reason": problem.reason}, status=400
        )
    partner = link.mailing.partner
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        link.withdraw()
        effect = "" if partner else withdrawal.effect("organiser_updates")
        return render(request, "mailings/unsubscribed.html", {"partner": partner, "effect": effect})
    status = 400 if request.method == "POST" else 200
    return render(request, "mailings/unsubscribe.html", {"partner": partner}, status=status)
