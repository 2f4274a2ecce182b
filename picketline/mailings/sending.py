"""How a mailing goes out: audience → outbox rows → messages written as they are sent.

``expand`` (a periodic job) walks the audience after the mailing's cursor, a batch per
transaction, and writes one outbox row per recipient naming the mailing and the supporter
(``compose_ref``), spaced at the mailing's rate through ``send_after``, only a few minutes
ahead of time. ``compose_mailing`` writes each message as the worker sends it: the version in
the recipient's language (or the fallback), their name, and the unsubscribe link of RFC 8058
in the headers and the footer. Someone whose consent was withdrawn (or who was erased) by then
gets nothing: their row is deleted unsent. ``finish`` records the counts once nothing is left.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext

from picketline.mail.models import OutgoingMessage
from picketline.mailings import audience
from picketline.mailings.models import Mailing, MailingVersion
from picketline.supporters.models import Supporter
from picketline.supporters.templatetags.supporters_mail import privacy_page_url

MAILING_COMPOSER = "mailing"
UNSUBSCRIBE_SALT = "picketline.mailings.unsubscribe"
# Stand-ins for the per-recipient parts of a rendered version (private-use characters).
URL_MARK = "\ue000"
NAME = "{name}"
# How far ahead of their time messages are written into the outbox.
AHEAD = timedelta(minutes=2)
TODO = [OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.RETRY, OutgoingMessage.Status.HELD]
UNFINISHED = [*TODO, OutgoingMessage.Status.SENDING]


class LinkProblem(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Unsubscribe links ---------------------------------------------------------------------------


def unsubscribe_token(mailing_id: int, supporter: Supporter) -> str:
    """A signed token naming the mailing and the supporter; it holds no address (the keyed
    blind index's first characters only tell a reused key from the person it was made for)."""
    payload = {"m": mailing_id, "s": supporter.pk, "h": supporter.email_index[:12]}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(token: str, language: str) -> str:
    return f"{_unsubscribe_prefix(settings.SITE_URL, language)}{token}/"


@lru_cache(maxsize=64)
def _unsubscribe_prefix(site_url: str, language: str) -> str:
    """The unsubscribe address in ``language`` up to its token: reversed once per language,
    not once per message (a signed token needs no quoting in a path)."""
    with translation.override(language):
        url = site_url + reverse("mailings:unsubscribe", kwargs={"token": "-"})
    return url.removesuffix("-/")


@dataclass(frozen=True)
class Unsubscribe:
    mailing: Mailing
    supporter: Supporter | None  # None: erased since, so nothing is sent to them any more

    def withdraw(self) -> int:
        """Withdraw the consent the mailing rests on; counted on the mailing when one stood."""
        if self.supporter is None:
            return 0
        with transaction.atomic():
            withdrawn = audience.withdraw(self.supporter, self.mailing.partner_id)
            if withdrawn:
                Mailing.objects.filter(pk=self.mailing.pk).update(
                    unsubscribed=F("unsubscribed") + 1
                )
        return withdrawn


def resolve_unsubscribe_token(token: str) -> Unsubscribe:
    """What an unsubscribe link is for; LinkProblem("invalid") for a forged or mangled one.
    Unsubscribe links do not expire: the law and RFC 8058 want them to keep working."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        mailing_id, supporter_id, index = int(payload["m"]), int(payload["s"]), str(payload["h"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem("invalid") from None
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        raise LinkProblem("invalid")
    supporter = Supporter.objects.filter(pk=supporter_id).first()
    if supporter is not None and not supporter.email_index.startswith(index):
        supporter = None  # the key now belongs to someone else: the person it named is gone
    return Unsubscribe(mailing, supporter)


# Writing a message ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A version with the footer in its language, its per-recipient parts marked."""

    language: str
    subject: str
    text: str
    html: str

    def fill(self, name: str, url: str) -> tuple[str, str, str]:
        if not name:
            with translation.override(self.language):
                name = gettext("friend")  # "Hello {name}" to someone who gave no name
        subject = " ".join(self.subject.replace(NAME, name).split())
        text = self.text.replace(URL_MARK, url).replace(NAME, name)
        html = self.html.replace(URL_MARK, escape(url)).replace(NAME, escape(name))
        return subject, text, html


def footer(mailing: Mailing, language: str) -> str:
    with translation.override(language):
        if mailing.partner:
            why = gettext(
                "You receive this because you agreed to hear from %(partner)s through this "
                "campaign. To receive no more news from them, open this link and press the "
                "button:"
            ) % {"partner": mailing.partner.name}
        else:
            why = gettext(
                "You receive this because you asked to be kept informed about this campaign. "
                "To receive no more news, open this link and press the button:"
            )
        privacy = gettext("See or erase what we hold about you:")
        privacy_url = privacy_page_url()
    # The unsubscribe link last, where readers look for it.
    return f"{privacy} {privacy_url}\n\n{why}\n{URL_MARK}"


def render(mailing: Mailing, version: MailingVersion, language: str) -> Rendered:
    """The version as sent to readers of ``language`` (the footer in their language)."""
    text = f"{version.body.strip()}\n\n-- \n{footer(mailing, language)}\n"
    # Our own HTML made from the text: paragraphs and the links as written, nothing added.
    html = linebreaks(urlize(text.replace(URL_MARK, "https://mark.invalid/"), autoescape=True))
    html = html.replace("https://mark.invalid/", URL_MARK)
    return Rendered(language, version.subject, text, html)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the URL takes a POST with no cookie or form token."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass
class Written:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def write(mailing: Mailing, supporter: Supporter, token: str | None = None) -> Written | None:
    """The message ``supporter`` gets from ``mailing`` (None: no version to send). ``token``
    replaces the unsubscribe token (a preview shows no working link)."""
    version = mailing.version_for(supporter.language)
    if version is None:
        return None
    language = supporter.language
    rendered = render(mailing, version, language)
    url = unsubscribe_url(token or unsubscribe_token(mailing.pk, supporter), language)
    subject, text, html = rendered.fill(supporter.name, url)
    return Written(subject, text, html, unsubscribe_headers(url))


def _ref(message: OutgoingMessage) -> tuple[int, int] | None:
    mailing, _sep, supporter = message.compose_ref.partition(":")
    try:
        return int(mailing), int(supporter)
    except ValueError:
        return None


def look_up_mailings(messages: list[OutgoingMessage]) -> None:
    """What a batch of mailing messages needs, in a few queries: the mailings with their
    versions, the supporters, and which of them still stand by the consent."""
    refs = {message.pk: _ref(message) for message in messages}
    mailing_ids = {ref[0] for ref in refs.values() if ref}
    supporter_ids = {ref[1] for ref in refs.values() if ref}
    mailings = {
        mailing.pk: mailing
        for mailing in Mailing.objects.filter(pk__in=mailing_ids).prefetch_related("versions")
    }
    supporters = {
        supporter.pk: supporter
        for supporter in Supporter.objects.filter(pk__in=supporter_ids).only(
            "pk", "email_index", "name", "language"
        )
    }
    standing = {
        partner_id: audience.standing_among(partner_id, supporter_ids)
        for partner_id in {mailing.partner_id for mailing in mailings.values()}
    }
    rendered: dict[tuple[int, str], Rendered | None] = {}
    for message in messages:
        message.mailing_parts = None
        ref = refs[message.pk]
        if ref is None:
            continue
        mailing, supporter = mailings.get(ref[0]), supporters.get(ref[1])
        if mailing is None or supporter is None or mailing.state == Mailing.State.CANCELLED:
            continue
        if supporter.pk not in standing.get(mailing.partner_id, ()):
            continue
        key = (mailing.pk, supporter.language)
        if key not in rendered:
            version = mailing.version_for(supporter.language)
            rendered[key] = version and render(mailing, version, supporter.language)
        message.mailing_parts = (mailing, supporter, rendered[key])


def compose_mailing(message: OutgoingMessage) -> bool:
    """Write one message of a mailing as it is sent; False (and the row deleted, unsent)
    when the mailing was cancelled or the person withdrew, was erased, or has no version."""
    if not hasattr(message, "mailing_parts"):  # not looked up with a batch
        look_up_mailings([message])
    parts = message.mailing_parts
    if parts is None or parts[2] is None:
        OutgoingMessage.objects.filter(pk=message.pk).delete()
        return False
    mailing, supporter, rendered = parts
    url = unsubscribe_url(unsubscribe_token(mailing.pk, supporter), rendered.language)
    message.subject, message.body_text, message.body_html = rendered.fill(supporter.name, url)
    message.headers = json.dumps(unsubscribe_headers(url))
    return True


def describe_mailing(message: OutgoingMessage) -> str:
    """The subject a message of a mailing had (for the recipient's privacy page and data
    download): the version of their language, their name in it; "" once the mailing is gone."""
    ref = _ref(message)
    mailing = ref and Mailing.objects.filter(pk=ref[0]).prefetch_related("versions").first()
    if not mailing:
        return ""
    supporter = Supporter.objects.filter(pk=ref[1]).only("pk", "name", "language").first()
    language = supporter.language if supporter else message.language
    version = mailing.version_for(language)
    if version is None:
        return ""
    rendered = Rendered(language, version.subject, "", "")
    return rendered.fill(supporter.name if supporter else "", "")[0]


# Scheduling, expanding, finishing ----------------------------------------------------------


def start_due(now=None) -> int:
    """Scheduled mailings whose time has come start sending."""
    now = now or timezone.now()
    return Mailing.objects.filter(state=Mailing.State.SCHEDULED, scheduled_at__lte=now).update(
        state=Mailing.State.SENDING, started_at=now
    )


def expand(mailing_id: int, budget_seconds: float = 3.0, ahead: timedelta = AHEAD) -> int:
    """Write the next outbox rows of a sending mailing, a batch per transaction, until the
    rows reach ``ahead`` of now, the audience is done or ``budget_seconds`` have passed.
    Safe to run in several workers at once (the mailing row is locked per batch) and to kill.
    Returns how many rows it wrote."""
    written = 0
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
            if mailing is None or mailing.state != Mailing.State.SENDING or mailing.expanded_at:
                return written
            # As many as fall due before now + ahead, at most a batch.
            room = (timezone.now() + ahead - mailing.send_after(mailing.queued)).total_seconds()
            if room < 0:
                return written
            size = min(audience.BATCH, 1 + int(room * mailing.rate / 60))
            criteria = audience.Criteria.of(mailing)
            batch = next(audience.batches(criteria, after=mailing.cursor, size=size), None)
            if batch is None:
                mailing.expanded_at = timezone.now()
                mailing.save(update_fields=["expanded_at"])
                return written
            mailing.cursor, recipients = batch
            OutgoingMessage.objects.bulk_create(
                [
                    OutgoingMessage.build(
                        to=[recipient.email],
                        subject="",
                        text="",
                        kind="mailing",
                        language=recipient.language,
                        group=mailing.group,
                        send_after=mailing.send_after(mailing.queued + index),
                        compose_with=MAILING_COMPOSER,
                        compose_ref=f"{mailing.pk}:{recipient.pk}",
                    )
                    for index, recipient in enumerate(recipients)
                ]
            )
            mailing.queued += len(recipients)
            mailing.save(update_fields=["cursor", "queued"])
            written += len(recipients)
    return written


def expand_sending() -> int:
    """One round of ``expand`` for every mailing that is sending."""
    start_due()
    ids = Mailing.objects.filter(state=Mailing.State.SENDING, expanded_at__isnull=True)
    return sum(expand(pk) for pk in ids.values_list("pk", flat=True))


def outbox_counts(mailing: Mailing) -> dict[str, int]:
    """The mailing's messages in the outbox by status."""
    rows = (
        OutgoingMessage.objects.filter(group=mailing.group)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def finish(now=None) -> int:
    """Record the counts of every mailing whose messages are all sent or failed (or, once
    cancelled, no longer in flight). Returns how many it finished."""
    now = now or timezone.now()
    done = 0
    candidates = Mailing.objects.filter(finished_at__isnull=True).filter(
        Q(state=Mailing.State.SENDING, expanded_at__isnull=False) | Q(state=Mailing.State.CANCELLED)
    )
    for mailing in candidates:
        counts = outbox_counts(mailing)
        if any(counts.get(status) for status in UNFINISHED):
            continue
        Mailing.objects.filter(pk=mailing.pk, finished_at__isnull=True).update(
            sent=counts.get(OutgoingMessage.Status.SENT, 0),
            failed=counts.get(OutgoingMessage.Status.FAILED, 0),
            finished_at=now,
            state=Mailing.State.CANCELLED
            if mailing.state == Mailing.State.CANCELLED
            else Mailing.State.SENT,
        )
        done += 1
    return done


@dataclass(frozen=True)
class Report:
    queued: int
    waiting: int
    sent: int
    failed: int
    unsubscribed: int

    @property
    def dropped(self) -> int:
        """Rows written but not sent: the person withdrew or was erased before their turn, or
        the mailing was cancelled."""
        return max(0, self.queued - self.waiting - self.sent - self.failed)


def report(mailing: Mailing) -> Report:
    """Sent, failed and unsubscribed: recorded once finished, counted in the outbox before."""
    if mailing.finished_at is not None:
        return Report(mailing.queued, 0, mailing.sent, mailing.failed, mailing.unsubscribed)
    counts = outbox_counts(mailing)
    return Report(
        queued=mailing.queued,
        waiting=sum(counts.get(status, 0) for status in UNFINISHED),
        sent=counts.get(OutgoingMessage.Status.SENT, 0),
        failed=counts.get(OutgoingMessage.Status.FAILED, 0),
        unsubscribed=mailing.unsubscribed,
    )


def schedule(mailing: Mailing, when=None) -> bool:
    """Schedule a draft to go at ``when`` (now by default). False if it is not a draft."""
    return bool(
        Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.DRAFT).update(
            state=Mailing.State.SCHEDULED, scheduled_at=when or timezone.now()
        )
    )


def cancel(mailing: Mailing) -> str:
    """A scheduled mailing goes back to draft; a sending one stops: its messages not yet
    claimed by a worker are deleted. Returns the new state ("" if nothing changed)."""
    with transaction.atomic():
        if Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.SCHEDULED).update(
            state=Mailing.State.DRAFT, scheduled_at=None
        ):
            return Mailing.State.DRAFT
        if Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.SENDING).update(
            state=Mailing.State.CANCELLED
        ):
            OutgoingMessage.objects.filter(group=mailing.group, status__in=TODO).delete()
            return Mailing.State.CANCELLED
    return ""


def send_test(mailing: Mailing, version: MailingVersion, to: str, name: str) -> OutgoingMessage:
    """Queue the version as its readers would get it, to ``to`` (an organiser's own address);
    its unsubscribe link is a dummy that withdraws nothing."""
    rendered = render(mailing, version, version.language)
    url = unsubscribe_url("test", version.language)
    subject, text, html = rendered.fill(name, url)
    with translation.override(version.language):
        test = gettext("Test")
    subject = f"[{test}] {subject}"
    return OutgoingMessage.queue(
        to=[to],
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(url),
        kind="mailing-test",
        language=version.language,
    )
