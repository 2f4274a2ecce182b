"""Replies from recipients, and which countries an action's letters can reach.

Organisers record a reply in the admin (``Reply``, with a document in the private storage).
``ASK_AFTER`` (fourteen days) after a letter went out, its writer is asked once by mail whether
they got a reply (``ask_about_replies``, a periodic job, until ``LATE`` after that; the mail is
written by the worker with the ``reply-question`` composer): only while their consent to send in their name stands and
they are not erased. The link opens a page with a button; only its POST records the answer
(``record_answer``), so a mail scanner that opens links records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from picketline.letters.models import Delivery, Letter, LetterAction, Reply, Target
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import Consent
from picketline.web.countries import country_codes, country_name

ASK_AFTER = timedelta(days=14)
# A letter whose question could not go for this long after it was due (a worker stopped for
# weeks) is not asked any more: the answer would come too late to follow up.
LATE = timedelta(days=14)
# How long the link in the question works.
LINK_DAYS = 60
SALT = "picketline.letters.reply-question"
COMPOSER = "reply-question"
BATCH = 500


def went_out_between(start: datetime, end: datetime) -> QuerySet[Delivery]:
    """The letters (as ``letter_id``) with a delivery sent, alone or in a digest, in the
    span: read from the outbox's index of sent mail, not from every letter."""
    sent = OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.SENT, sent_at__gt=start, sent_at__lte=end
    ).values("pk")
    return Delivery.objects.filter(Q(message__in=sent) | Q(digest__message__in=sent)).values(
        "letter_id"
    )


def first_sent(letter: Letter) -> datetime | None:
    """When the first of the letter's deliveries went out, alone or in a digest (None once
    the sent mail is purged)."""
    deliveries = Delivery.objects.filter(letter=letter)
    return (
        OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT)
        .filter(
            Q(pk__in=deliveries.values("message")) | Q(pk__in=deliveries.values("digest__message"))
        )
        .aggregate(first=Min("sent_at"))["first"]
    )


def consent_stands() -> Exists:
    """For a letter: its writer's consent to send it in their name is still in force."""
    return Exists(
        Consent.objects.filter(
            action_type=Letter._meta.label_lower,
            action_id=OuterRef("pk"),
            purpose=Consent.Purpose.SEND_IN_MY_NAME,
            withdrawn_at__isnull=True,
        )
    )


def letters_to_ask(now: datetime) -> list[Letter]:
    """Letters that went out ``ASK_AFTER`` ago or more and whose writer was not asked yet,
    still here and still consenting to the letter in their name."""
    return list(
        Letter.objects.filter(
            reply_asked_at__isnull=True, supporter__isnull=False, confirmed_at__isnull=False
        )
        .filter(pk__in=went_out_between(now - ASK_AFTER - LATE, now - ASK_AFTER))
        .filter(consent_stands())
        .select_related("supporter")
        .order_by("pk")[:BATCH]
    )


def ask_about_replies(now: datetime | None = None) -> int:
    """Queue the question to each letter's writer due one; each letter is claimed with a
    conditional UPDATE, so two workers, or a run killed and run again, ask once."""
    now = now or timezone.now()
    asked = 0
    for letter in letters_to_ask(now):
        with transaction.atomic():
            claimed = Letter.objects.filter(pk=letter.pk, reply_asked_at__isnull=True).update(
                reply_asked_at=now
            )
            if not claimed:
                continue
            OutgoingMessage.queue(
                to=[letter.supporter.email],
                subject="",
                text="",
                kind="reply-question",
                language=letter.language or letter.supporter.language,
                compose_with=COMPOSER,
                compose_ref=f"letters.letter:{letter.pk}",
            )
            asked += 1
    return asked


def reply_token(letter: Letter) -> str:
    return signing.dumps({"l": letter.pk, "c": int(letter.created_at.timestamp())}, salt=SALT)


def letter_from_reply_token(token: str) -> Letter | None:
    """The letter a question's link names, while it works and its writer is not erased."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
        letter = Letter.objects.select_related("supporter", "action").get(pk=int(payload["l"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Letter.DoesNotExist):
        return None
    if int(letter.created_at.timestamp()) != payload.get("c") or letter.supporter is None:
        return None
    return letter


def compose_question(message: OutgoingMessage) -> bool:
    """Write the question as the worker sends it; False (nothing sent) when the letter or its
    writer is gone, or the consent was withdrawn in the meantime."""
    _label, _sep, pk = message.compose_ref.rpartition(":")
    letter = (
        Letter.objects.filter(pk=int(pk) if pk.isdigit() else 0, supporter__isnull=False)
        .filter(consent_stands())
        .select_related("supporter", "action")
        .first()
    )
    if letter is None:
        return False
    language = message.language or letter.language
    went_out = first_sent(letter)
    with translation.override(language):
        context = {
            "name": letter.supporter.name,
            "went_out": date_format(timezone.localtime(went_out), "DATE_FORMAT")
            if went_out
            else "",
            "action": letter.action,
            "url": settings.SITE_URL
            + reverse("letters:reply_answer", kwargs={"token": reply_token(letter)}),
            "days": LINK_DAYS,
            "site_url": settings.SITE_URL,
            "language": language,
        }
        subject = render_to_string("letters/email/reply_question_subject.txt", context)
        message.body_text = render_to_string("letters/email/reply_question_body.txt", context)
        message.body_html = render_to_string("letters/email/reply_question_body.html", context)
    message.subject = " ".join(subject.split())
    return True


def record_answer(letter: Letter, answer: str, text: str) -> Reply:
    """The writer's answer, one per letter: answering again replaces it."""
    reply, _created = Reply.objects.update_or_create(
        letter=letter,
        defaults={
            "action_id": letter.action_id,
            "source": Reply.Source.SUPPORTER,
            "answer": answer,
            "text": text,
        },
    )
    return reply


# Coverage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Which countries an action's letters reach a recipient of their own in."""

    covered: list[tuple[str, str]]  # (code, name) with a recipient of their own
    uncovered: list[tuple[str, str]]
    from_supporters: list[tuple[str, str, int, bool]]  # (code, name, letters, covered)
    all_countries: int

    @property
    def supporter_countries_covered(self) -> int:
        return sum(1 for *_rest, covered in self.from_supporters if covered)


def covered_codes(action: LetterAction) -> set[str]:
    """Countries whose supporters write to a recipient of the action's roles there (with a
    working address); for fixed targets, every country."""
    codes = country_codes()
    if action.targeting == LetterAction.Targeting.FIXED:
        return set(codes) if action.targets_for("") else set()
    found = Target.objects.active().filter(role__in=action.role_list())
    return {
        target.country
        for target in found.prefetch_related("addresses")
        if target.deliverable_addresses() and target.country in codes
    }


def coverage(action: LetterAction) -> Coverage:
    covered = covered_codes(action)
    names = sorted(((code, country_name(code)) for code in country_codes()), key=lambda c: c[1])
    # A letter's country is encrypted: counted here, after reading.
    counts: dict[str, int] = {}
    for code in Letter.objects.filter(action=action).values_list("country", flat=True):
        if code:
            counts[code] = counts.get(code, 0) + 1
    return Coverage(
        covered=[(code, name) for code, name in names if code in covered],
        uncovered=[(code, name) for code, name in names if code not in covered],
        from_supporters=sorted(
            ((code, country_name(code), n, code in covered) for code, n in counts.items()),
            key=lambda row: (-row[2], row[1]),
        ),
        all_countries=len(names),
    )
