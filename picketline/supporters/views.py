from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from picketline.lib.small_counts import shown_count
from picketline.supporters import embed, flow, safety
from picketline.supporters.abuse import new_pow_challenge, rate_limited
from picketline.supporters.attribution import embed_partner
from picketline.supporters.forms import EmailForm, SubscribeForm
from picketline.supporters.link_pages import link_page
from picketline.supporters.models import AnonymousCount, Consent, Subscription, Supporter
from picketline.supporters.shown import shown_consents, shown_data, withdrawn_message
from picketline.web.cache import public_page
from picketline.web.clients import client_fingerprint
from picketline.web.limits import count_hit
from picketline.web.referrer import same_origin_referrer

SESSION_KEY = "privacy_supporter"
SESSION_UNTIL = "privacy_until"
PRIVACY_SESSION = timedelta(minutes=30)


def _link_problem(request: HttpRequest, problem: flow.LinkProblem) -> HttpResponse:
    status = {"invalid": 400, "expired": 410, "used": 410}.get(problem.reason, 400)
    return render(
        request, "supporters/link_problem.html", {"reason": problem.reason}, status=status
    )


def _too_many(request: HttpRequest, form, template: str) -> HttpResponse:
    return render(request, template, {"form": form, "too_many": True}, status=429)


@same_origin_referrer
@public_page  # the empty form; the proof-of-work challenge comes from pow_challenge below
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_honeypot_filled():
            return redirect("supporters:check_mail")
        if form.is_valid():
            if rate_limited(request, "subscribe", email=form.cleaned_data["email"]):
                return _too_many(request, form, "supporters/subscribe.html")
            subscription = Subscription(language=form.chosen_language())
            flow.take_new_action(form, subscription, request)
            return redirect("supporters:check_mail")
    return render(request, "supporters/subscribe.html", {"form": form})


@never_cache
@require_GET
def pow_challenge(request: HttpRequest) -> HttpResponse:
    """A fresh proof-of-work challenge for our script (one per visitor, so never cached; the
    form's page itself is the same for everyone and comes from the page cache)."""
    return HttpResponse(new_pow_challenge(), content_type="text/plain; charset=utf-8")


@same_origin_referrer
@never_cache
@require_GET
def check_mail(request: HttpRequest) -> HttpResponse:
    return render(request, "supporters/check_mail.html", {"days": flow.unconfirmed_lifetime().days})


def _action_for(request: HttpRequest, token: str, what: str):
    """The action a confirm or "not me" link is for; LinkProblem when it is not that link. Its
    supporter is read with it for the POST only: the page shows nothing of the person."""
    link = flow.resolve_action_token(token, for_page=request.method != "POST")
    if link.what != what:
        raise flow.LinkProblem("invalid")
    return link.action


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        action = _action_for(request, token, flow.CONFIRM)
    except flow.LinkProblem as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        # The page after confirming is the same for everyone (so it is cached): the link's
        # token stays out of the address bar from here on.
        newly = action.confirm()
        return redirect(action.after_confirming_url(newly))
    return link_page(request, "supporters/confirm.html", token=token, action=action)


@public_page
@require_GET
def confirmed(request: HttpRequest, already: bool = False) -> HttpResponse:
    return render(request, "supporters/confirmed.html", {"newly": not already})


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def reject(request: HttpRequest, token: str) -> HttpResponse:
    try:
        action = _action_for(request, token, flow.REJECT)
    except flow.LinkProblem as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        removed = action.reject()
        return render(request, "supporters/rejected.html", {"removed": removed})
    return link_page(request, "supporters/reject.html", token=token, action=action)


@same_origin_referrer
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if form.is_honeypot_filled():
            return render(request, "supporters/resend.html", {"form": EmailForm(), "sent": True})
        if form.is_valid():
            email = form.cleaned_data["email"]
            if rate_limited(request, "resend", email=email):
                return _too_many(request, form, "supporters/resend.html")
            flow.ask_to_resend_confirmations(email, (get_language() or "en")[:2])
            return render(request, "supporters/resend.html", {"form": EmailForm(), "sent": True})
    return render(request, "supporters/resend.html", {"form": form})


@require_POST
def count_support(request: HttpRequest) -> HttpResponse:
    """Count one more supporter of the action of the page the warning was on, and keep nothing
    about who: that page's one number goes up by one. Only a count a page of ours names (a
    signed key) exists; a client is held to a few a day (``web.limits``, by a keyed hash that
    changes every day, never the address). A count no page named is refused: with a 404 on
    the site, and inside a partner's embed with a page of the embed that leads back to it."""
    key = safety.count_key(request.POST.get("key", ""))
    if key is None:
        if embed_partner(request) is None:
            raise Http404
        # In a partner's frame the site's 404 would not even show (it refuses frames), and
        # its links lead out: the refusal stays in the frame, with the way back to its form.
        context = {"no_count": True, "back": embed.embed_form(request)}
        response = render(request, "supporters/supported.html", context, status=404)
        add_never_cache_headers(response)
        return response
    back = "/" + (get_language() or "en")[:2] + key
    if count_hit(f"rl:anonymous-count:c:{client_fingerprint(request)}", 86400) > 3:
        context = {"too_many": True, "back": back}
        response = render(request, "supporters/supported.html", context, status=429)
    else:
        AnonymousCount.add_one(key)
        context = {"count": shown_count(AnonymousCount.count_for(key)), "back": back}
        response = render(request, "supporters/supported.html", context)
    add_never_cache_headers(response)
    return response


# Privacy page ---------------------------------------------------------------------------------


@same_origin_referrer
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if form.is_honeypot_filled():
            return _privacy_form(request, EmailForm(), sent=True)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if rate_limited(request, "privacy", email=email):
                return _too_many(request, form, "supporters/privacy.html")
            # Same answer and the same statements whether or not the address is known.
            flow.send_privacy_link(email, (get_language() or "en")[:2])
            return _privacy_form(request, EmailForm(), sent=True)
    return _privacy_form(request, form)


def _privacy_form(request: HttpRequest, form: EmailForm, **extra: object) -> HttpResponse:
    hours = int(flow.privacy_link_lifetime().total_seconds() // 3600)
    return render(request, "supporters/privacy.html", {"form": form, "hours": hours, **extra})


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def privacy_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        supporter = flow.resolve_privacy_token(token)
    except flow.LinkProblem as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        supporter.rotate_link_nonce()  # the link works once
        request.session.cycle_key()
        until = timezone.now() + PRIVACY_SESSION
        request.session[SESSION_KEY] = supporter.pk
        request.session[SESSION_UNTIL] = until.timestamp()
        # The cookie and the stored session last as long as the page is open, not the
        # organisers' twelve hours (the worker deletes expired sessions every hour). A moment,
        # not a number of seconds: seconds would count again from each change of the session
        # (a consent withdrawn keeps its notice there), and outlast the page.
        request.session.set_expiry(until)
        return redirect("supporters:mine")
    return render(request, "supporters/privacy_open.html")


def _current_supporter(request: HttpRequest) -> Supporter:
    """The supporter whose privacy page this session opened, or 404 (also once it expired)."""
    pk = request.session.get(SESSION_KEY)
    until = request.session.get(SESSION_UNTIL, 0)
    if not pk or until < timezone.now().timestamp():
        raise Http404
    supporter = Supporter.objects.filter(pk=pk).first()
    if supporter is None:
        raise Http404
    return supporter


def _session_over(request: HttpRequest) -> HttpResponse:
    if SESSION_KEY in request.session:
        request.session.flush()  # the page closed: its session and cookie go with it
    return render(request, "supporters/privacy_session_over.html", status=403)


@same_origin_referrer
@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    try:
        supporter = _current_supporter(request)
    except Http404:
        return _session_over(request)
    actions = supporter.actions()
    consents = supporter.consents.select_related("wording", "partner")
    return render(
        request,
        "supporters/mine.html",
        {
            "supporter": supporter,
            "actions": [
                {
                    "action": action,
                    "kind": action._meta.verbose_name,
                    "data": shown_data(action, action.personal_data()),
                }
                for action in actions
            ],
            "mails": supporter.messages(),
            "consents": shown_consents(consents, actions),
        },
    )


@same_origin_referrer
@never_cache
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    try:
        supporter = _current_supporter(request)
    except Http404:
        return _session_over(request)
    body = json.dumps(supporter.personal_data(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@same_origin_referrer
@never_cache
@require_POST
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    try:
        supporter = _current_supporter(request)
    except Http404:
        return _session_over(request)
    consent = get_object_or_404(Consent, pk=consent_id, supporter=supporter)
    if consent.withdraw():
        # Without JavaScript the page comes back at its top: say there what was done.
        messages.success(request, withdrawn_message(consent, consent.given_with()))
    return redirect("supporters:mine")


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    try:
        supporter = _current_supporter(request)
    except Http404:
        return _session_over(request)
    if request.method == "POST":
        supporter.erase(reason="request")
        request.session.flush()
        return render(request, "supporters/erased.html", {"backup_days": settings.BACKUP_KEEP_DAYS})
    return render(request, "supporters/erase.html", {"backup_days": settings.BACKUP_KEEP_DAYS})


@same_origin_referrer
@never_cache
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("supporters:privacy")
