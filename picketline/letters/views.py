from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from picketline.accounts.login import verified_staff
from picketline.accounts.models import AuditEntry
from picketline.campaigns import cards
from picketline.campaigns.share import share_links
from picketline.letters import counters, pdf, replies
from picketline.letters.countries import country_name
from picketline.letters.forms import LetterForm, ReplyAnswerForm
from picketline.letters.models import (
    READ_WITH_WRITERS,
    AnonymousSupport,
    Letter,
    LetterAction,
    Reply,
    Target,
    readable_text,
)
from picketline.lib.small_counts import shown_count
from picketline.supporters import after_confirming, flow
from picketline.supporters.abuse import rate_limited
from picketline.supporters.models import DangerousCountry
from picketline.web.cache import public_page
from picketline.web.clients import client_fingerprint
from picketline.web.limits import count_hit
from picketline.web.referrer import same_origin_referrer


def _published_action(slug: str) -> LetterAction:
    try:
        return LetterAction.published_for_form(slug)
    except LetterAction.DoesNotExist:
        raise Http404 from None


def _check_mail_url() -> str:
    return reverse("supporters:check_mail")


@public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actions = list(LetterAction.objects.published())
    counts = counters.per_action()
    for action in actions:
        action.letter_count = counts.get(action.pk, 0)
    return render(
        request,
        "letters/index.html",
        {
            "actions": actions,
            "total": counters.letters_total(),
            "countries": counters.per_target_country(),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page  # the empty form, for a GET without a query; its CSRF token is a hole
@require_http_methods(["GET", "POST"])
def action_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The letter form. The page cache stores only the empty form of a plain GET, whose CSRF
    token goes in through a hole (``picketline.web.form_token``); an answer to a POST, which may
    show what the supporter typed, is never stored."""
    action = _published_action(slug)
    language = (get_language() or "en")[:2]
    # The country shown with the recipients is kept in the form (it decides which fields a
    # letter to print and post needs).
    picked = request.GET.get("country", "")
    form = LetterForm(request.POST or None, action=action, initial={"country": picked})
    text = action.text_for(language)
    country = picked or (request.POST.get("country", "") if form.is_bound else "")
    if not form.is_bound and "body" in form.fields and text:
        form.initial["body"] = action.editable_text(language)
    preview = None
    if DangerousCountry.is_dangerous(country):
        # Before the form is even read: nothing of what was typed is kept or shown again.
        return _safety_page(request, action, country.strip().upper())
    if request.method == "POST":
        if form.is_honeypot_filled():
            return HttpResponseRedirect(_check_mail_url())
        if form.is_valid():
            letter = _unsaved_letter(action, form)
            targets = letter.targets()
            postal = [] if targets else action.postal_targets_for(letter.country)
            if postal:
                # Printed and posted by the supporter: nothing is stored or sent.
                letter.supporter = form.unsaved_supporter()
                if request.POST.get("step") == "pdf":
                    # Writing a PDF takes a while: counted like sending a letter.
                    if rate_limited(request, "letters-pdf"):
                        return _render_action(
                            request, action, form, country, too_many=True, status=429
                        )
                    return _pdf_response(pdf.letter_pdf(letter, postal), "letter.pdf")
                preview = [letter.compose(target) for target in postal]
                return _render_action(request, action, form, country, preview=preview)
            if not targets:
                form.add_error(
                    "country", _("This letter has no recipient for your country yet, sorry.")
                )
                return _render_action(request, action, form, country)
            # A paused action still takes letters: they wait and go out when sending resumes.
            if request.POST.get("step") == "send":
                if rate_limited(request, "letters", email=form.cleaned_data["email"]):
                    return _render_action(request, action, form, country, too_many=True, status=429)
                flow.take_new_action(form, letter, request)
                return HttpResponseRedirect(_check_mail_url())
            # For the preview only: a supporter that is never saved.
            letter.supporter = form.unsaved_supporter()
            preview = [letter.compose(target) for target in targets]
    return _render_action(request, action, form, country, preview=preview)


def _safety_page(request: HttpRequest, action: LetterAction, country: str) -> HttpResponse:
    """Said to someone who chose a country marked as dangerous: no letter goes in their name,
    and here are safer ways to help. The form they sent is not read; nothing is stored."""
    response = render(
        request,
        "letters/safety.html",
        {
            "action": action,
            "country_label": country_name(country),
            "anonymous_count": shown_count(AnonymousSupport.count_for(action)),
            **_safer_ways(action),
        },
    )
    add_never_cache_headers(response)
    return response


def _safer_ways(action: LetterAction) -> dict[str, object]:
    url = settings.SITE_URL + reverse("letters:action", args=[action.slug])
    return {"share_links": share_links(action.title, url)}


@require_POST
def count_support(request: HttpRequest, slug: str) -> HttpResponse:
    """Count one more supporter of ``action`` and keep nothing about who: the one row of the
    action's count goes up by one. A client is held to a few a day (``web.limits``, by a
    keyed hash that changes every day, never the address)."""
    action = _published_action(slug)
    if count_hit(f"rl:anonymous-support:c:{client_fingerprint(request)}", 86400) > 3:
        response = render(
            request, "letters/supported.html", {"action": action, "too_many": True}, status=429
        )
    else:
        AnonymousSupport.add_one(action)
        response = render(
            request,
            "letters/supported.html",
            {"action": action, "count": shown_count(AnonymousSupport.count_for(action))},
        )
    add_never_cache_headers(response)
    return response


@public_page(max_age=cards.CARD_SECONDS)
@require_GET
def card(request: HttpRequest, slug: str) -> HttpResponse:
    """The letter's share card, in the page's language."""
    action = _published_action(slug)
    return cards.card_response(action.title, action.summary)


@public_page
@require_GET
def confirmed(request: HttpRequest, slug: str, newly: bool = True) -> HttpResponse:
    """After confirming a letter: the action and who receives it, the same for every writer."""
    action = _published_action(slug)
    return after_confirming.page(
        request,
        newly=newly,
        what=action.title,
        public_path=reverse("letters:action", kwargs={"slug": slug}),
        details="letters/_confirmed.html",
        context={
            "letter_action": action,  # when its letters go, as the action stands now
            "fixed_targets": list(action.fixed_targets.active()),
            "by_country": action.targeting == LetterAction.Targeting.COUNTRY_ROLE,
        },
    )


def _unsaved_letter(action: LetterAction, form: LetterForm) -> Letter:
    data = form.cleaned_data
    return Letter(
        action=action,
        language=form.chosen_language(),
        country=data["country"],
        organisation=data.get("organisation", ""),
        role=data.get("role", ""),
        personal_paragraph=data.get("personal_paragraph", ""),
        body=data.get("body", ""),
        send_copy=bool(data.get("send_copy")),
    )


def _render_action(
    request: HttpRequest,
    action: LetterAction,
    form: LetterForm,
    country: str,
    *,
    preview=None,
    too_many: bool = False,
    status: int = 200,
) -> HttpResponse:
    language = (get_language() or "en")[:2]
    recipients = action.targets_for(country) if country else None
    fixed = action.targeting == LetterAction.Targeting.FIXED
    if fixed:
        recipients = action.targets_for("")
    text = action.text_for(language)
    shown = None
    if text:
        with translation.override(text.language):
            known = {"country": country_name(country)} if country else {}
            greetings = {target.greeting() for target in recipients or []}
            if len(greetings) == 1:  # the same for every recipient: shown as it will read
                known["salutation"] = greetings.pop()
            if recipients and len(recipients) == 1:
                known["recipient"] = recipients[0].name
            shown = (readable_text(text.subject, known).strip(), readable_text(text.body, known))
    dangerous = _dangerous_choices(form)
    no_recipient = not fixed and bool(country) and action.no_recipient_in(country)
    by_post = action.postal_targets_for(country) if no_recipient else []
    letter_language = form.chosen_language() if form.is_bound else language
    for target in by_post:
        # Posted by the supporter, who may choose a language the recipient reads.
        target.reads = target.language_names(language)
        target.reads_letter = letter_language in target.language_list()
    response = render(
        request,
        "letters/action.html",
        {
            "action": action,
            "form": form,
            "text": text,
            "shown": shown,
            "fixed": fixed,
            "country": country,
            "country_label": country_name(country) if country else "",
            "recipients": recipients,
            "by_post": by_post,
            "forwarded": no_recipient
            and action.when_no_recipient == LetterAction.WhenNoRecipient.FORWARD,
            "preview": preview,
            "too_many": too_many,
            "count": counters.letters_for(action),
            "countries": counters.per_target_country(action),
            "signatories": counters.signatories(action),
            "dangerous": dangerous,
            **(_safer_ways(action) if dangerous else {}),
            "anonymous_count": shown_count(AnonymousSupport.count_for(action)),
            "replies_received": Reply.objects.filter(action=action).received().count(),
        },
        status=status,
    )
    if form.is_bound:  # it shows what the supporter typed: no copy anywhere, back button included
        add_never_cache_headers(response)
    return response


def _dangerous_choices(form: LetterForm) -> list[tuple[str, str]]:
    """The countries on offer that are marked as dangerous, with their names: the page holds
    a warning for each, which the script shows as soon as one is chosen."""
    codes = DangerousCountry.objects.codes()
    return [(code, name) for code, name in form.fields["country"].choices if code in codes]


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def reply_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The writer says whether a recipient replied: the link from the question opens a page
    with a button, and only its POST records the answer (a mail scanner opens links)."""
    letter = replies.letter_from_reply_token(token)
    if letter is None:
        raise Http404
    # Whoever holds the link may not be the writer (a forwarded mail): the page never shows
    # what they wrote before, only that they answered.
    answered = Reply.objects.filter(letter=letter).exists()
    form = ReplyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        replies.record_answer(letter, form.cleaned_data["answer"], form.cleaned_data["text"])
        return render(request, "letters/reply_answer.html", {"letter": letter, "recorded": True})
    status = 400 if form.is_bound else 200
    context = {"letter": letter, "form": form, "answered": answered}
    return render(request, "letters/reply_answer.html", context, status=status)


@never_cache
@require_GET
def letter_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The supporter's own letter on paper, from the link in their copy."""
    letter = pdf.letter_from_token(token)
    if letter is None:
        raise Http404
    return _pdf_response(pdf.letter_pdf(letter), f"letter-{letter.pk}.pdf")


@never_cache
@verified_staff
@permission_required(READ_WITH_WRITERS, raise_exception=True)
@require_GET
def organiser_letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = get_object_or_404(Letter.objects.select_related("supporter", "action"), pk=letter_id)
    AuditEntry.log(request.user, AuditEntry.Action.EXPORT, f"letters.letter #{letter.pk} as PDF")
    return _pdf_response(pdf.letter_pdf(letter), f"letter-{letter.pk}.pdf")


@never_cache
@verified_staff
@permission_required(READ_WITH_WRITERS, raise_exception=True)
@require_GET
def target_bundle_pdf(request: HttpRequest, action_id: int, target_id: int) -> HttpResponse:
    action = get_object_or_404(LetterAction, pk=action_id)
    target = get_object_or_404(Target, pk=target_id)
    language = request.GET.get("language") or (get_language() or "en")[:2]
    content = pdf.target_bundle_pdf(action, target, language)
    # The bundle carries every signatory's name: who printed it is in the audit log.
    AuditEntry.log(
        request.user,
        AuditEntry.Action.EXPORT,
        f"letters of action {action.pk} to target {target.pk} as PDF",
    )
    return _pdf_response(content, f"letters-{action.slug}-{target.pk}.pdf")
