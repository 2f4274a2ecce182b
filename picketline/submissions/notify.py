"""E-mails about submissions: decisions to the sender (in their language) and the change link,
through the outbox, inside the deciding transaction; and to the video moderators when a
published video's sender withdrew it. (The moderators' digest is the dashboard's:
``dashboard.digest``.)"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from picketline.accounts.preferences import read_by
from picketline.accounts.roles import staff_who_may
from picketline.mail.models import OutgoingMessage
from picketline.supporters.campaign_end import told_at_the_end

if TYPE_CHECKING:
    from picketline.submissions.models import Decision, Submission, VideoMessage

logger = logging.getLogger(__name__)

CHANGE_SALT = "picketline.submissions.change-link"
CHANGE_LINK_DAYS = 30


def _render(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "language": language}
        subject = render_to_string(f"submissions/email/{template}_subject.txt", context)
        text = render_to_string(f"submissions/email/{template}_body.txt", context)
        html = render_to_string(f"submissions/email/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def change_token(item: Submission) -> str:
    return signing.dumps(
        {"m": item._meta.label_lower, "i": item.pk, "t": item.public_token}, salt=CHANGE_SALT
    )


def resolve_change_token(token: str) -> Submission | None:
    """The submission a change link names, while it still waits for changes and its sender
    is still here (an erased sender's link dies, as every other link does); else None."""
    from picketline.submissions.models import SUBMISSION_MODELS, Status

    try:
        payload = signing.loads(token, salt=CHANGE_SALT, max_age=CHANGE_LINK_DAYS * 86400)
        model = apps.get_model(payload["m"])
    except (signing.BadSignature, KeyError, LookupError, TypeError):
        return None
    if model not in SUBMISSION_MODELS:
        return None
    return model.objects.filter(
        pk=payload["i"],
        public_token=payload["t"],
        status=Status.CHANGES_REQUESTED,
        supporter__isnull=False,
    ).first()


def change_url(item: Submission, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("submissions:change", args=[change_token(item)])


def video_not_published(video: VideoMessage) -> OutgoingMessage | None:
    """An approved video whose copy for the site could not be made (the file refused, or the
    tries ran out): the sender, told nothing at approval, learns that it is not shown and how
    to send it again."""
    from picketline.submissions.models import sender_language

    if not video.supporter_id:
        return None
    language = sender_language(video)
    with translation.override(language):
        context = {
            "name": video.supporter.name,
            "summary": video.summary(),
            "form_url": settings.SITE_URL + reverse("submissions:video_form"),
        }
    subject, text, html = _render("video_not_published", context, language)
    return OutgoingMessage.queue(
        to=[video.supporter.email],
        subject=subject,
        text=text,
        html=html,
        kind="video_not_published",
        language=language,
    )


def decision_mail(item: Submission, decision: Decision) -> OutgoingMessage | None:
    """Tell the sender what was decided, in the language they used."""
    from picketline.submissions.models import Decision, sender_language

    if not item.supporter_id:
        return None
    language = sender_language(item)
    template = {
        Decision.Action.APPROVE: "approved",
        Decision.Action.REJECT: "rejected",
        Decision.Action.REQUEST_CHANGES: "changes",
    }[decision.action]
    with translation.override(language):
        context = {
            "name": item.supporter.name,
            "kind": str(item.kind_label),
            "summary": item.summary(),
            "reason": decision.reason,
            "public_url": settings.SITE_URL + item.public_list_url(),
            "change_url": change_url(item, language)
            if decision.action == Decision.Action.REQUEST_CHANGES
            else "",
            "days": CHANGE_LINK_DAYS,
            # An endorsement is the organisation's and stays; the sender's own data can go.
            "stays_public": item._meta.model_name == "endorsement",
        }
    subject, text, html = _render(template, context, language)
    return OutgoingMessage.queue(
        to=[item.supporter.email],
        subject=subject,
        text=text,
        html=html,
        kind=f"submission_{template}",
        language=language,
    )


def video_down_to_moderators(video: VideoMessage, published_at: datetime) -> list[OutgoingMessage]:
    """Tell every video moderator that a published video came down because its sender
    withdrew it, so that they take it down from the campaign's channels too. Staff mail, in
    each moderator's language and on their clocks (as the digest): the video's number, when
    it was published and its page in the administration; nothing of the sender (no name,
    address or words)."""
    gone = GoneVideo(video.pk, published_at, settings.SITE_URL + video.admin_url())
    if told_at_the_end(videos_gone_at_the_campaigns_end, gone.as_json()):
        return []  # the erasure at the campaign's end tells of all its videos at once
    # The template writes the moment on the reader's clocks, naming the zone.
    context = {"number": gone.number, "published": published_at, "admin_url": gone.admin_url}
    return _to_video_moderators(
        "video_withdrawn", context, "video_withdrawn_by_sender", f"video #{video.pk}"
    )


@dataclass(frozen=True)
class GoneVideo:
    """A published video that came down: what its moderators' mail names (nothing of the
    sender)."""

    number: int
    published_at: datetime
    admin_url: str

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "published_at": self.published_at.isoformat(),
            "admin_url": self.admin_url,
        }

    @classmethod
    def from_json(cls, kept: dict[str, Any]) -> GoneVideo:
        published_at = datetime.fromisoformat(kept["published_at"])
        return cls(kept["number"], published_at, kept["admin_url"])


def videos_gone_at_the_campaigns_end(kept: list[dict[str, Any]]) -> list[OutgoingMessage]:
    """One mail to each video moderator for every published video a batch of the erasure at
    the campaign's end took down (``supporters.campaign_end``, which kept them as
    ``GoneVideo.as_json()``): the same request as when a sender withdraws, for all of them at
    once, without saying that anyone withdrew. The template writes each moment on the
    reader's clocks, naming the zone."""
    videos = [GoneVideo.from_json(video) for video in kept]
    rows = [
        {"number": v.number, "published": v.published_at, "admin_url": v.admin_url}
        for v in sorted(videos, key=lambda v: v.number)
    ]
    return _to_video_moderators(
        "videos_gone_at_campaign_end",
        {"videos": rows, "count": len(rows)},
        "videos_gone_at_campaign_end",
        f"{len(rows)} videos",
    )


def _to_video_moderators(
    template: str, context: dict[str, Any], kind: str, what: str
) -> list[OutgoingMessage]:
    from picketline.submissions.models import MODERATE

    moderators = staff_who_may(MODERATE)
    if not moderators:
        # The consent promises that the organisers are told: say loudly that nobody could be.
        logger.error("%s came down, and no video moderator has an address to tell", what)
    messages = []
    for user in moderators:
        with read_by(user) as language:
            subject, text, html = _render(template, context, language)
        messages.append(
            OutgoingMessage.queue(
                to=[user.email], subject=subject, text=text, html=html, kind=kind, language=language
            )
        )
    return messages
