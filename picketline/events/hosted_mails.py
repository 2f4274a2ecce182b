"""E-mails to the host of a supporter-hosted action: approved (with the report link) or not."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from picketline.events.calendar import public_url
from picketline.events.models import HostedAction
from picketline.mail.models import OutgoingMessage


def _queue(hosted: HostedAction, template: str) -> None:
    if hosted.supporter_id is None:
        return
    language = hosted.language or hosted.supporter.language
    with translation.override(language):
        context = {
            "hosted": hosted,
            "name": hosted.supporter.name,
            "event_url": public_url(hosted.event) if hosted.event_id else "",
            "report_url": hosted.report_url() if hosted.status == hosted.Status.APPROVED else "",
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"events/email/hosted_{template}_subject.txt", context)
        text = render_to_string(f"events/email/hosted_{template}_body.txt", context)
        html = render_to_string(f"events/email/hosted_{template}_body.html", context)
    OutgoingMessage.queue(
        to=[hosted.supporter.email],
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        kind=f"hosted-action-{template}",
        language=language,
    )


def approved(hosted: HostedAction) -> None:
    _queue(hosted, "approved")


def declined(hosted: HostedAction) -> None:
    _queue(hosted, "declined")
