"""Double opt-in and the privacy page's magic links: signed, expiring links sent by e-mail.

A confirmation link names one action (its model, primary key and creation time, so a reused
primary key never matches) and what to do (confirm, or "it was not me"). A privacy link names a
supporter and the supporter's current link nonce, which is replaced when the link is used, so a
privacy link works once. Opening any link shows a page with one button; only the POST acts,
because mail scanners fetch links but do not press buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from picketline.mail.models import OutgoingMessage
from picketline.supporters import tally
from picketline.supporters.attribution import Attribution, attribution_of
from picketline.supporters.models import (
    CONFIRMATION_KIND,
    ConfirmableAction,
    Supporter,
    confirmation_ref,
)

if TYPE_CHECKING:
    from picketline.supporters.forms import SupporterFields

ACTION_SALT = "picketline.supporters.action-link"
CONFIRMATION_COMPOSER = "confirmation"
DONE_ALREADY_COMPOSER = "done-already"
RESEND_COMPOSER = "resend-confirmations"
PRIVACY_LINK_COMPOSER = "privacy-link"
PRIVACY_SALT = "picketline.supporters.privacy-link"
CONFIRM = "confirm"
REJECT = "reject"


def unconfirmed_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "SUPPORTERS_UNCONFIRMED_DAYS", 7))


def privacy_link_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "SUPPORTERS_PRIVACY_LINK_HOURS", 24))


def resend_cap() -> int:
    """How many confirmation mails one action may cause in all (the first included)."""
    return getattr(settings, "SUPPORTERS_CONFIRMATION_MAIL_CAP", 3)


class LinkProblem(Exception):
    """A link that cannot be used. ``reason`` is one of: invalid, expired, used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _stamp(action: ConfirmableAction) -> int:
    return int(action.created_at.timestamp() * 1_000_000)


def action_token(action: ConfirmableAction, what: str) -> str:
    payload = {"m": action._meta.label_lower, "i": action.pk, "c": _stamp(action), "w": what}
    return signing.dumps(payload, salt=ACTION_SALT, compress=True)


def _absolute(view: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(view, kwargs={"token": token})


@dataclass(frozen=True)
class ActionLink:
    action: ConfirmableAction
    what: str


def resolve_action_token(token: str, *, for_page: bool = False) -> ActionLink:
    """The action a link names, or LinkProblem: a forged or mangled link is ``invalid``, an old
    one ``expired``, one whose action is gone (rejected, purged) ``used``. Read in one query
    with what its kind names in ``loaded_to_confirm``, or for the page the link opens (which
    shows nothing of the person) in ``shown_with_link``; only the fields the kind names for
    each (``fields_loaded_to_confirm``, ``fields_shown_with_link``), when it names them."""
    try:
        payload = signing.loads(token, salt=ACTION_SALT, max_age=unconfirmed_lifetime())
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    try:
        model = apps.get_model(payload["m"])
        what = payload["w"]
        pk, stamp = int(payload["i"]), int(payload["c"])
    except (KeyError, LookupError, TypeError, ValueError):
        raise LinkProblem("invalid") from None
    if not (isinstance(model, type) and issubclass(model, ConfirmableAction)):
        raise LinkProblem("invalid")
    if what not in (CONFIRM, REJECT):
        raise LinkProblem("invalid")
    if for_page:
        related, fields = model.shown_with_link, model.fields_shown_with_link
    else:
        related, fields = model.loaded_to_confirm, model.fields_loaded_to_confirm
    query = model.objects.select_related(*related)
    if fields:
        query = query.only(*fields)
    try:
        action = query.get(pk=pk)  # by its key: no ORDER BY
    except model.DoesNotExist:
        raise LinkProblem("used") from None
    if _stamp(action) != stamp:
        raise LinkProblem("used")
    return ActionLink(action, what)


def _render(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of the mail ``template`` in ``language``."""
    with translation.override(language):
        context = {
            **context,
            "site_url": settings.SITE_URL,
            "language": language,
        }
        subject = render_to_string(f"supporters/email/{template}_subject.txt", context)
        text = render_to_string(f"supporters/email/{template}_body.txt", context)
        html = render_to_string(f"supporters/email/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def request_confirmation(action: ConfirmableAction, request: HttpRequest | None = None) -> bool:
    """Queue the confirmation mail for ``action`` in the action's language.

    Call inside the transaction that created the action. Returns False (and queues nothing)
    once the action has had its cap of confirmation mails, or is confirmed already."""
    if action.confirmed_at is not None or action.supporter_id is None:
        return False
    with transaction.atomic():
        bumped = (
            type(action)
            .objects.filter(
                pk=action.pk,
                confirmed_at__isnull=True,
                confirmation_mails_sent__lt=resend_cap(),
            )
            .update(confirmation_mails_sent=F("confirmation_mails_sent") + 1)
        )
        if not bumped:
            return False
        action.confirmation_mails_sent += 1
        _queue_confirmation(action)
    return True


def save_and_request_confirmation(action: ConfirmableAction) -> None:
    """Save a new action and queue its first confirmation mail, which the worker writes when
    it sends it (``compose_confirmation``), so the request renders no mail. Call inside a
    transaction."""
    action.confirmation_mails_sent = 1
    action.save(force_insert=True)
    _queue_confirmation(action)


def take_new_action(
    form: SupporterFields,
    action: ConfirmableAction,
    request: HttpRequest,
    *,
    unless: Callable[[Supporter], bool] | None = None,
    with_action: Callable[[ConfirmableAction], None] | None = None,
    attribution: Attribution | None = None,
) -> bool:
    """Store what a supporter sent with an action form, all of it or nothing: the supporter
    (new, or the one this address already belongs to: the same statements either way), the
    new ``action``, its first confirmation mail (written when sent) and the consents ticked;
    the registered tallies (``supporters.tally``) count it. The action keeps where it came
    from (``supporters.attribution``).

    ``unless`` is asked, with the stored supporter, before the action is saved; when it
    answers True it has dealt with the form itself (an event registered for already) and the
    action is not saved. Then an action that repeats the supporter's own earlier one
    (``earlier_of_same``: the same letter again) is not saved either: the earlier one's
    confirmation mail goes again, or, once it is confirmed, a mail saying it was done already
    (``tell_done_already``); the page says the same as for a new action. ``with_action`` gets the saved action last, for rows that belong to
    it (a report's photos). Both run in the same transaction. ``attribution`` is for a caller
    that read it elsewhere than the request's form fields (the API's JSON body), checked with
    ``attribution.checked_attribution``. Returns whether the action was saved."""
    with transaction.atomic():
        # The row keeps when its name and country were given: this action's time.
        supporter = form.save_supporter(given_at=action.created_at)
        if unless is not None and unless(supporter):
            supporter.take_back_given_with(action)  # nothing stored: nothing filled either
            return False
        # The supporter row is locked from here to the end of the transaction, so two forms
        # from one address at once cannot both pass this check.
        earlier = action.earlier_of_same(supporter)
        if earlier is not None:
            supporter.take_back_given_with(action)
            tell_done_already(earlier)
            return False
        action.supporter = supporter
        if attribution is None:
            attribution = attribution_of(request)
        action.partner, action.source = attribution.partner, attribution.source
        save_and_request_confirmation(action)
        tally.submitted(action)
        form.record_consents(supporter, request, action=action)
        if with_action is not None:
            with_action(action)
    return True


def tell_done_already(earlier: ConfirmableAction) -> None:
    """Someone sent a form again for an action this address has taken: send the earlier
    action's confirmation again while it waits (within its cap), or, once it is confirmed, a
    mail to the address saying it counts once and nothing goes twice. Only the mailbox learns
    it: the page answers as it does for an address we do not know."""
    if earlier.confirmed_at is None:
        request_confirmation(earlier)
        return
    OutgoingMessage.build(
        to=[earlier.supporter.email],
        subject="",
        text="",
        kind="done-already",
        language=earlier.language or earlier.supporter.language,
        compose_with=DONE_ALREADY_COMPOSER,
        compose_ref=f"{earlier._meta.label_lower}:{earlier.pk}",
    ).save(force_insert=True)


def given_again_subject() -> str:
    """The subject, in the active language, of a mail that anyone can cause by typing an
    address into a form again, to someone in a country marked as dangerous: as a
    confirmation's, it names nothing of the campaign."""
    return gettext("Your e-mail address was given again")


def compose_done_already(message: OutgoingMessage) -> bool:
    """Write the mail ``tell_done_already`` queued, as the worker sends it; False (nothing
    sent) when the action or its supporter is gone."""
    if not hasattr(message, "confirmation_of"):  # not looked up with a batch
        look_up_confirmations([message])
    action = message.confirmation_of
    if action is None or action.supporter is None:
        return False
    language = message.language or action.language
    with translation.override(language):
        summary = str(action.confirmation_subject())
        neutral = given_again_subject()
    shown = _first_shown(action, summary, neutral)
    subject, message.body_text, message.body_html = _render("done_already", shown, language)
    message.subject = neutral if shown["discreet"] else subject
    return True


def compose_confirmation(message: OutgoingMessage) -> bool:
    """Write a confirmation mail queued by ``save_and_request_confirmation``, as the worker
    sends it. False when the action is gone ("not me", expired, erased): nothing to send. An
    action confirmed in the meantime still gets its mail; its link then says so."""
    if not hasattr(message, "confirmation_of"):  # not looked up with a batch
        look_up_confirmations([message])
    action = message.confirmation_of
    if action is None or action.supporter is None:
        return False
    content = _confirmation_content(action, message.language or action.language)
    message.subject, message.body_text, message.body_html = content
    return True


def look_up_confirmations(messages: list[OutgoingMessage]) -> None:
    """The actions of a batch of confirmation mails, one query per kind of action."""
    wanted: dict[type[ConfirmableAction], list[tuple[OutgoingMessage, int]]] = {}
    for message in messages:
        message.confirmation_of = None
        if ref := _confirmation_ref(message):
            wanted.setdefault(ref[0], []).append((message, ref[1]))
    for model, pairs in wanted.items():
        found = model.for_confirmation_mails([pk for _message, pk in pairs])
        for message, pk in pairs:
            message.confirmation_of = found.get(pk)


def _confirmation_ref(message: OutgoingMessage) -> tuple[type[ConfirmableAction], int] | None:
    """The kind of action and its key a confirmation mail is about; None if it names none."""
    label, _sep, pk = message.compose_ref.rpartition(":")
    try:
        model = apps.get_model(label)
        key = int(pk)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, ConfirmableAction):
        return None
    return model, key


def _queue_confirmation(action: ConfirmableAction) -> None:
    """Queue a confirmation mail for ``action``, written by the worker when it sends it."""
    OutgoingMessage.build(
        to=[action.supporter.email],
        subject="",
        text="",
        kind=CONFIRMATION_KIND,
        language=action.language or action.supporter.language,
        compose_with=CONFIRMATION_COMPOSER,
        compose_ref=confirmation_ref(action),
    ).save(force_insert=True)


def _first_shown(action: ConfirmableAction, summary: str, neutral: str) -> dict[str, Any]:
    """What a confirmation or "done already" mail about ``action`` shows first. Inbox lists
    and lock screens show its first lines beside the subject: for someone in a country marked
    as dangerous (``discreet``) they name nothing of the campaign, its title is the neutral
    subject, and it greets no name, which would be whatever anyone typed with this address
    ("Thank you for joining …"); what the action is comes after the links."""
    discreet = action.calls_for_discretion()
    return {
        "summary": summary,
        "discreet": discreet,
        "title": neutral if discreet else summary,
        "name": "" if discreet else action.supporter.name,
    }


def _confirmation_content(action: ConfirmableAction, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        summary = str(action.confirmation_subject())
        # A subject is seen by whoever glances at an inbox or a phone's lock screen: for
        # someone in a country marked as dangerous it names nothing of the campaign.
        neutral = gettext("Please confirm your e-mail address")
    shown = _first_shown(action, summary, neutral)
    subject, text, html = _render(
        "confirm",
        {
            **shown,
            "action": action,
            "confirm_url": _absolute("supporters:confirm", action_token(action, CONFIRM), language),
            "reject_url": _absolute("supporters:reject", action_token(action, REJECT), language),
            "days": unconfirmed_lifetime().days,
        },
        language,
    )
    return (neutral if shown["discreet"] else subject), text, html


def ask_to_resend_confirmations(email: str, language: str) -> None:
    """Queue a request, written by the worker (``compose_resend``), to send again the
    confirmation mails of this address's unconfirmed actions. The request only writes this
    one row, known address or not, so its time tells nothing; the look-up happens in the
    worker. The typed address waits in the outbox's encrypted recipient field."""
    _queue_for_worker(email, language, kind="confirmation-resend", composer=RESEND_COMPOSER)


def compose_resend(message: OutgoingMessage) -> bool:
    """In the worker: queue again the confirmation mail of every unconfirmed, unexpired action
    of the address ``message`` names, each up to its cap, then drop ``message`` itself (it
    carries no mail of its own). An unknown address leaves nothing behind."""
    supporter = _supporter_of(message)
    if supporter is not None:
        cutoff = timezone.now() - unconfirmed_lifetime()
        for action in supporter.actions():
            if action.confirmed_at is None and action.created_at > cutoff:
                request_confirmation(action)
    _drop(message)
    return False


# Privacy page links -------------------------------------------------------------------------


def privacy_token(supporter: Supporter) -> str:
    return signing.dumps({"s": supporter.pk, "n": supporter.link_nonce}, salt=PRIVACY_SALT)


def send_privacy_link(email: str, language: str) -> None:
    """Queue a privacy-page link for this address, written by the worker
    (``compose_privacy_link``) if we hold anything for it and dropped there if not. The
    request writes the same one row either way, so neither its answer nor its time tells
    whether an address is known."""
    _queue_for_worker(email, language, kind="privacy-link", composer=PRIVACY_LINK_COMPOSER)


def compose_privacy_link(message: OutgoingMessage) -> bool:
    """In the worker: write the privacy-page link for the address ``message`` names, or drop
    the message when nobody has that address."""
    supporter = _supporter_of(message)
    if supporter is None:
        _drop(message)
        return False
    language = message.language or supporter.language
    message.subject, message.body_text, message.body_html = _render(
        "privacy_link",
        {
            "name": supporter.name,
            "url": _absolute("supporters:privacy_open", privacy_token(supporter), language),
            "hours": int(privacy_link_lifetime().total_seconds() // 3600),
        },
        language,
    )
    return True


def _queue_for_worker(email: str, language: str, *, kind: str, composer: str) -> None:
    OutgoingMessage.queue(
        to=[email], subject="", text="", kind=kind, language=language, compose_with=composer
    )


def _supporter_of(message: OutgoingMessage) -> Supporter | None:
    recipients = message.recipients()
    return Supporter.objects.for_email(recipients[0]) if recipients else None


def _drop(message: OutgoingMessage) -> None:
    """Remove a message that will carry no mail, so the typed address is not kept."""
    OutgoingMessage.objects.filter(pk=message.pk).delete()


def resolve_privacy_token(token: str) -> Supporter:
    try:
        payload = signing.loads(token, salt=PRIVACY_SALT, max_age=privacy_link_lifetime())
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    try:
        pk, nonce = int(payload["s"]), str(payload["n"])
    except (KeyError, TypeError, ValueError):
        raise LinkProblem("invalid") from None
    supporter = Supporter.objects.filter(pk=pk).first()
    if supporter is None or supporter.link_nonce != nonce:
        raise LinkProblem("used")
    return supporter
