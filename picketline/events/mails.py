"""The e-mails a registrant gets: seat, waitlist, offer, cancellation, change, reminder, and the
organiser's or a host's message. Each is queued in the outbox inside the transaction that causes it; the
worker writes it as it sends it (``compose``, registered as ``COMPOSER``), from the registration
as it is then — a request that confirms a seat renders no mail. Only the organiser's and the
host's messages, whose words exist nowhere else, are written when they are queued.

Only these e-mails and the registrant's own page ever carry the join link, and only when the
registrant has a seat.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from picketline.events import calendar, check_in
from picketline.events.models import Registration
from picketline.events.templatetags.events_tags import when_text
from picketline.mail.models import Attachment, OutgoingMessage
from picketline.supporters.flow import given_again_subject
from picketline.web.moments import moment_text


def context_for(registration: Registration) -> dict[str, object]:
    """What every registrant e-mail may show; call with the registrant's language active."""
    event = registration.event
    zone = ZoneInfo(registration.zone_name())
    own_zone = zone.key != event.time_zone
    offer_expires = ""
    if registration.offer_expires_at:
        offer_expires = moment_text(registration.offer_expires_at, zone)
    return {
        "event": event,
        "registration": registration,
        "name": registration.supporter.name if registration.supporter_id else "",
        "when": when_text(event),
        "when_yours": when_text(event, zone) if own_zone else "",
        "place": event.location_text() if event.has_place else "",
        "osm_url": event.osm_url() if event.has_place else "",
        "join_url": event.join_url if registration.may_join else "",
        "personal_url": registration.personal_url(),
        "cancel_url": registration.cancel_url(),
        "event_url": calendar.public_url(event),
        "google_url": calendar.google_calendar_url(event),
        "outlook_url": calendar.outlook_calendar_url(event),
        "position": registration.waitlist_position(),
        "offer_expires": offer_expires,
        "entry_code": registration.has_entry_code,
        # A seat, or one offered: what a cancellation hands on to the next person waiting.
        "had_place": registration.seated_at is not None or registration.offered_at is not None,
        "site_url": settings.SITE_URL,
    }


def private_note(registration: Registration) -> str:
    """What the registrant's own calendar file adds to the public description."""
    with translation.override(registration.language):
        lines = []
        if registration.may_join:
            lines.append(
                str(translation.gettext("Join: %(url)s") % {"url": registration.event.join_url})
            )
        lines.append(
            str(
                translation.gettext("Your registration: %(url)s")
                % {"url": registration.personal_url()}
            )
        )
    return "\n".join(lines)


def registrant_ics(registration: Registration, cancelled: bool = False) -> bytes:
    return calendar.ics_bytes(
        registration.event, private_note=private_note(registration), cancelled=cancelled
    )


COMPOSER = "event-mail"
ENTRY_CODE_TEMPLATES = frozenset({"seat_given", "reminder"})
ENTRY_CODE_FILE = "entry-code.png"
TEMPLATES = frozenset(
    {
        "seat_given",
        "waitlisted",
        "seat_offered",
        "offer_lapsed",
        "cancelled",
        "event_changed",
        "reminder",
        "already_registered",
        "organiser_message",
        "host_message",
    }
)


def _written(
    registration: Registration,
    template: str,
    *,
    ics: bool,
    cancelled: bool,
    extra: dict[str, object] | None = None,
) -> OutgoingMessage:
    """The mail, written now in the registrant's language (unsaved)."""
    language = registration.language or registration.supporter.language
    # The QR code for the door goes with the mails a seat holder keeps: the seat and reminders.
    code_attached = template in ENTRY_CODE_TEMPLATES and registration.has_entry_code
    # Anyone can cause this mail by typing the address into the form again: for someone in a
    # country marked as dangerous, neither its subject nor its first words (a greeting by what
    # was typed as a name) say anything of the event.
    discreet = template == "already_registered" and registration.calls_for_discretion()
    with translation.override(language):
        context = {
            **context_for(registration),
            "code_attached": code_attached,
            **(extra or {}),
        }
        if discreet:
            context["name"] = ""
        subject = render_to_string(f"events/email/{template}_subject.txt", context)
        if discreet:
            subject = given_again_subject()
        text = render_to_string(f"events/email/{template}_body.txt", context)
        html = render_to_string(f"events/email/{template}_body.html", context)
    attachments = []
    if ics:
        attachments.append(
            Attachment(
                f"{registration.event.slug}.ics",
                registrant_ics(registration, cancelled=cancelled),
                "text/calendar",
            )
        )
    if code_attached:
        attachments.append(Attachment(ENTRY_CODE_FILE, check_in.qr_png(registration), "image/png"))
    return OutgoingMessage.build(
        to=[registration.supporter.email],
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        kind=f"event-{template.replace('_', '-')}",
        language=language,
        attachments=attachments,
        group=f"event-{registration.event_id}",
    )


def _queue(
    registration: Registration,
    template: str,
    *,
    ics: bool = True,
    cancelled: bool = False,
    extra: dict[str, object] | None = None,
) -> OutgoingMessage | None:
    if registration.supporter_id is None:
        return None  # erased: nobody to write to
    if extra is not None:
        message = _written(registration, template, ics=ics, cancelled=cancelled, extra=extra)
        message.save(force_insert=True)
        return message
    return OutgoingMessage.queue(
        to=[registration.supporter.email],
        subject="",
        text="",
        kind=f"event-{template.replace('_', '-')}",
        language=registration.language or registration.supporter.language,
        group=f"event-{registration.event_id}",
        compose_with=COMPOSER,
        compose_ref=f"{registration.pk}:{template}:{int(ics)}:{int(cancelled)}",
    )


def compose(message: OutgoingMessage) -> bool:
    """In the worker: write a mail ``_queue`` left empty. False when there is nobody to write
    to any more (the registration gone, the person erased)."""
    try:
        pk, template, ics, cancelled = message.compose_ref.split(":")
        registration = Registration.objects.select_related("event", "supporter").get(pk=int(pk))
    except (ValueError, Registration.DoesNotExist):
        return False
    if template not in TEMPLATES or registration.supporter_id is None:
        return False
    written = _written(registration, template, ics=ics == "1", cancelled=cancelled == "1")
    message.subject, message.body_text, message.body_html = (
        written.subject,
        written.body_text,
        written.body_html,
    )
    message.attachments = written.attachments
    return True


def seat_given(registration: Registration) -> None:
    _queue(registration, "seat_given")


def waitlisted(registration: Registration) -> None:
    _queue(registration, "waitlisted", ics=False)


def seat_offered(registration: Registration) -> None:
    _queue(registration, "seat_offered", ics=False)


def offer_lapsed(registration: Registration) -> None:
    _queue(registration, "offer_lapsed", ics=False)


def cancelled(registration: Registration) -> None:
    _queue(registration, "cancelled", cancelled=True)


def event_changed(registration: Registration) -> None:
    _queue(registration, "event_changed", ics=registration.has_seat)


def reminder(registration: Registration) -> None:
    _queue(registration, "reminder")


def already_registered(registration: Registration) -> None:
    """Someone filled the form again with this address: remind its owner of their own link."""
    _queue(registration, "already_registered", ics=False)


def organiser_message(registration: Registration, subject: str, text: str) -> None:
    _queue(
        registration,
        "organiser_message",
        ics=False,
        extra={"message_subject": subject, "message_text": text},
    )


def host_message(registration: Registration, subject: str, text: str) -> None:
    """The host of a supporter-held action wrote to those who signed up (``hosted_views``)."""
    _queue(
        registration,
        "host_message",
        ics=False,
        extra={"message_subject": subject, "message_text": text},
    )
