"""Actions supporters hold themselves, e.g. in front of the Belarusian embassy in their country.

A supporter proposes one (confirmed by e-mail like every action); an organiser approves it, which
publishes it as an ``Event`` that others can register for, or rejects it with a reason that the
host is told. Afterwards the host reports back through the link in their approval e-mail; the
report is shown only once an organiser has approved it. Photos lose their metadata (camera,
place, time) before they are stored.
"""

from __future__ import annotations

import io
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from picketline.events.models.event import COUNTRY_CODE, Event, validate_time_zone
from picketline.mail.models import OutgoingMessage
from picketline.supporters.models import ConfirmableAction
from picketline.web.content import PublicContent
from picketline.web.fields import EncryptedDecimalField, EncryptedTextField
from picketline.web.moments import moment_text

logger = logging.getLogger(__name__)

REPORT_SALT = "picketline.events.hosted-report"
# The outbox's kind of a host's message to those who signed up (``events.mails.host_message``).
HOST_MESSAGE_KIND = "event-host-message"
# A host writes to those signed up at most this often in any 24 hours (a rolling window).
HOST_MESSAGES_PER_DAY = 3
HOST_MESSAGE_WINDOW = timedelta(hours=24)


class HostMessageRefused(Exception):
    """The host may not write now: ``again_at`` is when they may, or None when the time for
    writing is over."""

    def __init__(self, again_at: datetime | None) -> None:
        super().__init__(again_at)
        self.again_at = again_at


class HostedAction(ConfirmableAction):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        # The host erased their data before anyone decided: with nobody to hold it, it can be
        # neither published nor declined.
        WITHDRAWN = "withdrawn", pgettext_lazy("a proposed action", "withdrawn")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    # What the host typed is encrypted at rest until an organiser publishes it as an Event
    # (organisers' content, in clear, shown on the map); the dates stay in clear because the
    # review queue is ordered by them.
    title = EncryptedTextField(_("what"), max_length=200)
    description = EncryptedTextField(_("description"), max_length=3000, blank=True)
    country = EncryptedTextField(_("country"), max_length=2, validators=[COUNTRY_CODE])
    city = EncryptedTextField(_("city"), max_length=100)
    place = EncryptedTextField(
        _("where"), max_length=300, help_text=_("e.g. in front of the Belarusian embassy")
    )
    latitude = EncryptedDecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = EncryptedDecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = EncryptedTextField(_("time zone"), max_length=64, validators=[validate_time_zone])
    expected_size = models.PositiveIntegerField(
        _("expected number of people"), validators=[MaxValueValidator(100000)]
    )
    contact = EncryptedTextField(
        _("private contact"),
        help_text=_("How organisers can reach the host; never shown publicly."),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    event = models.OneToOneField(
        Event,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_action",
        verbose_name=_("published event"),
    )

    class Meta:
        verbose_name = _("supporter-hosted action")
        verbose_name_plural = _("supporter-hosted actions")
        ordering = ["-created_at"]
        # Deciding on a proposal is not editing it: moderators review, organisers edit.
        permissions = [("review_hostedaction", _("Can approve or decline actions supporters host"))]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"  # an erased host's action keeps no title

    # ConfirmableAction ----------------------------------------------------------------------
    def confirmation_subject(self) -> str:
        with translation.override(self.language):
            return str(_("Your proposed action: %(title)s") % {"title": self.title})

    def after_confirming_url(self, newly: bool) -> str:
        # Not "it counts now": a proposal waits for the organisers' review.
        return reverse("events:hosted_confirmed" if newly else "events:hosted_already_confirmed")

    # The host's report and messages, in the same download (their fields are not this model's);
    # each message is a record of its own, its parts labelled as well.
    personal_data_labels = {
        "participants": _("how many took part"),
        "report": _("what happened"),
        "photos": _("photos"),
        "messages": _("message to those who signed up"),
        "written_at": _("written"),
        "subject": _("subject"),
        "text": _("message"),
        "recipients": _("number of recipients"),
    }

    def personal_data(self) -> dict[str, Any]:
        data = {
            "title": self.title,
            "description": self.description,
            "country": self.country,
            "city": self.city,
            "place": self.place,
            "latitude": None if self.latitude is None else str(self.latitude),
            "longitude": None if self.longitude is None else str(self.longitude),
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "time_zone": self.time_zone,
            "expected_size": self.expected_size,
            "contact": self.contact,
            "status": self.status,
        }
        report = HostedReport.objects.filter(hosted_action=self).first()
        if report is not None:
            data |= {
                "participants": report.participants,
                "report": report.text,
                "photos": report.photos.count(),
            }
        messages = self.host_messages.all()
        if messages:
            data["messages"] = [message.personal_data() for message in messages]
        return data

    def shown_time_zone(self) -> str:
        # The host proposed 17:00 on their own square's clocks, not in UTC.
        return self.time_zone or settings.TIME_ZONE

    def erase_personal_data(self) -> None:
        """What the host typed that could point to them goes (their words, the place, the
        contact), and so do their report with its photos and their messages to those who
        signed up (the mails, and the ``HostMessage`` kept of each). A proposal nobody has
        decided on is withdrawn: without its host it cannot take place. An event already
        published from it stays for the people registered, with its title, place and time,
        but without the host's description (unless an organiser rewrote it: then the words
        are theirs)."""
        # Read again under a lock: an organiser may have approved it meanwhile.
        decided = HostedAction.objects.select_for_update().filter(pk=self.pk)
        self.status, self.event_id = decided.values_list("status", "event_id").get()
        if self.event_id is not None and self.description:
            event = Event.objects.get(pk=self.event_id)
            copied = [
                f"description_{code}"
                for code, _name in settings.LANGUAGES
                if getattr(event, f"description_{code}") == self.description
            ]
            for name in copied:
                setattr(event, name, "")
            if copied:
                event.save(update_fields=copied)
        self.title = self.description = self.city = self.place = self.contact = ""
        self.latitude = self.longitude = None
        if self.status == self.Status.PROPOSED:
            self.status = self.Status.WITHDRAWN
            self.decided_at = timezone.now()
        report = HostedReport.objects.filter(hosted_action=self).first()
        if report is not None:
            report.delete_with_photos()
        self.host_messages.all().delete()
        if self.event_id is not None:
            OutgoingMessage.objects.filter(
                kind=HOST_MESSAGE_KIND, group=f"event-{self.event_id}"
            ).delete_with_copies()

    def can_be_decided(self) -> bool:
        """An organiser may approve or decline it: confirmed, and its host still here."""
        return (
            self.confirmed_at is not None
            and self.supporter_id is not None
            and self.status != self.Status.WITHDRAWN
        )

    # Review ---------------------------------------------------------------------------------
    def _lock_for_a_decision(self) -> None:
        """Lock the row and ask again whether it may be decided: its host may have erased
        their data since it was read (ValueError)."""
        fresh = HostedAction.objects.select_for_update().get(pk=self.pk)
        if not fresh.can_be_decided():
            raise ValueError(f"hosted action #{self.pk} has no host, or is unconfirmed")

    def approve(self) -> Event:
        """Publish the action as an event others can register for; tell the host."""
        from picketline.campaigns.models import Campaign
        from picketline.events import hosted_mails

        with transaction.atomic():
            self._lock_for_a_decision()
            fields = {
                "kind": Event.Kind.IN_PERSON,
                "campaign": Campaign.objects.current(),
                "title": self.title,
                "description": self.description,
                "venue_name": self.place,
                "address": self.city,
                "country": self.country,
                "latitude": self.latitude,
                "longitude": self.longitude,
                "starts_at": self.starts_at,
                "ends_at": self.ends_at,
                "time_zone": self.time_zone,
                "languages": self.language,
                "registration_required": True,
                "published": True,
            }
            with translation.override(self.language):
                if self.event_id:
                    event = self.event
                    for name, value in fields.items():
                        setattr(event, name, value)
                    event.save()
                else:
                    slug = f"{slugify(self.title)[:60] or 'action'}-{secrets.token_hex(3)}"
                    event = Event.objects.create(slug=slug, **fields)
            # English is every field's fallback; a host writes in their own language.
            for name in ("title", "description", "venue_name"):
                if not getattr(event, f"{name}_en"):
                    setattr(event, f"{name}_en", fields[name])
            event.save()
            self.event = event
            self.status = self.Status.APPROVED
            self.rejection_reason = ""
            self.decided_at = timezone.now()
            self.save()
            hosted_mails.approved(self)
            return event

    def decline(self, reason: str) -> None:
        """Refuse the proposal with a reason the host is told."""
        from picketline.events import hosted_mails

        with transaction.atomic():
            self._lock_for_a_decision()
            self.status = self.Status.REJECTED
            self.rejection_reason = reason
            self.decided_at = timezone.now()
            self.save()
            if self.event_id:
                self.event.published = False
                self.event.save()
            hosted_mails.declined(self)

    # The host's report link -----------------------------------------------------------------
    def report_token(self) -> str:
        return signing.dumps({"h": self.pk}, salt=REPORT_SALT)

    @classmethod
    def from_report_token(cls, token: str, now: datetime | None = None) -> HostedAction | None:
        """The approved action this report link is for, or None when the link is forged,
        expired (``report_link_expires_at``) or dead (the host erased)."""
        try:
            pk = int(signing.loads(token, salt=REPORT_SALT)["h"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        found = cls.objects.filter(
            pk=pk, status=cls.Status.APPROVED, supporter__isnull=False
        ).first()
        if found is None or (now or timezone.now()) >= found.report_link_expires_at():
            return None
        return found

    def takes_place_at(self) -> datetime:
        """The start, as published (an organiser may have moved the event)."""
        return self.event.starts_at if self.event_id else self.starts_at

    def has_taken_place(self, now: datetime | None = None) -> bool:
        """Whether it has begun: only then can anyone report how it went."""
        return (now or timezone.now()) >= self.takes_place_at()

    def sign_ups(self) -> dict[str, int]:
        """How many registered for the published event: with a place, and waiting."""
        if not self.event_id:
            return {"seated": 0, "waiting": 0}
        from picketline.events.models.registration import Registration

        statuses = Registration.Status
        counts = self.event.registrations.filter(supporter__isnull=False).aggregate(
            seated=models.Count("pk", filter=models.Q(status=statuses.CONFIRMED)),
            waiting=models.Count(
                "pk", filter=models.Q(status__in=[statuses.WAITLISTED, statuses.OFFERED])
            ),
        )
        return {"seated": counts["seated"], "waiting": counts["waiting"]}

    def message_recipients(self) -> models.QuerySet:
        """Whom a message of the host goes to: those signed up for the published event and
        still here."""
        return self.event.registrations.active().filter(supporter__isnull=False)

    def writing_ends_at(self) -> datetime:
        """The host writes to those signed up until their own links die
        (``Registration.link_expires_at``): after that the action is long over."""
        ends_at = self.event.ends_at if self.event_id else self.ends_at
        return ends_at + timedelta(days=settings.EVENTS_LINK_DAYS_AFTER)

    def next_message_at(self, now: datetime | None = None) -> datetime | None:
        """When the host may write again, counting the messages of the last 24 hours; None
        when they may now (the time for writing aside: ``writing_ends_at``)."""
        now = now or timezone.now()
        recent = list(
            self.host_messages.filter(written_at__gt=now - HOST_MESSAGE_WINDOW)
            .order_by("written_at")
            .values_list("written_at", flat=True)
        )
        if len(recent) < HOST_MESSAGES_PER_DAY:
            return None
        return recent[-HOST_MESSAGES_PER_DAY] + HOST_MESSAGE_WINDOW

    def write_to_those_signed_up(self, subject: str, text: str) -> HostMessage:
        """Queue the host's message to each of those signed up, and keep it once, as the host
        wrote it, for their own privacy page (the mails hold it only with a recipient's name).
        Raises ``HostMessageRefused`` past ``HOST_MESSAGES_PER_DAY`` in 24 hours, or once the
        time for writing is over."""
        from picketline.events import mails

        with transaction.atomic():
            # Two messages of one host, from any two processes, wait here for each other, so
            # the count below always sees the other's row: the limit holds under a burst.
            locked = HostedAction.objects.select_for_update(no_key=True).filter(pk=self.pk)
            list(locked.values_list("pk", flat=True))
            now = timezone.now()
            if now >= self.writing_ends_at():
                raise HostMessageRefused(None)
            again_at = self.next_message_at(now)
            if again_at is not None:
                raise HostMessageRefused(again_at)
            recipients = list(self.message_recipients().select_related("supporter"))
            for registration in recipients:
                mails.host_message(registration, subject, text)
            return HostMessage.objects.create(
                hosted_action=self,
                subject=subject,
                text=text,
                written_at=now,
                recipients=len(recipients),
            )

    def report_link_expires_at(self) -> datetime:
        return self.ends_at + timedelta(days=settings.EVENTS_REPORT_LINK_DAYS_AFTER)

    def report_url(self) -> str:
        with translation.override(self.language):
            return settings.SITE_URL + reverse("events:hosted_report", args=[self.report_token()])


class HostMessageQuerySet(models.QuerySet["HostMessage"]):
    def written_before(self, moment: datetime) -> HostMessageQuerySet:
        return self.filter(written_at__lt=moment)


class HostMessage(models.Model):
    """A host's message to those who signed up, once, as the host wrote it. The outbox holds it
    only inside each recipient's mail, with the recipient's name; this copy names nobody, so
    the host's privacy page and download can show it. It goes with its host's data, and with
    the mails it was sent as (``events.jobs.purge_old_host_messages``)."""

    hosted_action = models.ForeignKey(
        HostedAction, models.CASCADE, related_name="host_messages", verbose_name=_("action")
    )
    subject = EncryptedTextField(_("subject"), max_length=150)
    text = EncryptedTextField(_("message"), max_length=2000)
    written_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    recipients = models.PositiveIntegerField(_("number of recipients"))

    objects = HostMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("host's message to those who signed up")
        verbose_name_plural = _("hosts' messages to those who signed up")
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return self.subject

    def personal_data(self) -> dict[str, Any]:
        return {
            "written_at": self.written_at.isoformat(),
            "subject": self.subject,
            "text": self.text,
            "recipients": self.recipients,
        }


class HostedReportQuerySet(models.QuerySet["HostedReport"]):
    def public(self) -> HostedReportQuerySet:
        """Approved, and not of an action in a country marked as dangerous (its event is not
        listed either: ``EventQuerySet.listed``)."""
        from picketline.supporters.models import DangerousCountry

        return self.filter(status=HostedReport.Status.APPROVED).exclude(
            hosted_action__event__country__in=DangerousCountry.objects.codes()
        )


class HostedReport(PublicContent):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    hosted_action = models.OneToOneField(
        HostedAction, models.CASCADE, related_name="report", verbose_name=_("action")
    )
    participants = models.PositiveIntegerField(
        _("how many took part"), validators=[MaxValueValidator(1000000)]
    )
    text = EncryptedTextField(_("what happened"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    objects = HostedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report from a hosted action")
        verbose_name_plural = _("reports from hosted actions")
        ordering = ["-submitted_at"]
        permissions = [("review_hostedreport", _("Can publish or reject hosts' reports"))]

    def __str__(self) -> str:
        return str(self.hosted_action)

    def clean(self) -> None:
        # The host's form says the same (``ReportForm``); this holds for the admin too.
        if self.hosted_action_id and not self.hosted_action.has_taken_place():
            raise ValidationError(
                _("A report can be sent once the action has taken place, from %(start)s."),
                params={
                    "start": moment_text(
                        self.hosted_action.takes_place_at(), self.hosted_action.time_zone
                    )
                },
                code="too_early",
            )

    def delete_with_photos(self) -> None:
        """The report, its photos and, once that is committed, their files."""
        names = [photo.image.name for photo in self.photos.all()]
        storage = ReportPhoto._meta.get_field("image").storage

        def delete_files() -> None:
            for name in names:
                try:
                    storage.delete(name)
                except OSError:  # the others still go; this one is left for the operators
                    logger.exception("events: report photo %s could not be deleted", name)

        self.delete()
        transaction.on_commit(delete_files, robust=True)

    def affects_public_pages(self) -> bool:
        """Only an approved report is on public pages (now, or as stored)."""
        if self.status == self.Status.APPROVED:
            return True
        return self.pk is not None and (
            HostedReport.objects.filter(pk=self.pk, status=self.Status.APPROVED).exists()
        )


def strip_metadata(data: bytes) -> tuple[bytes, str]:
    """Re-encode an uploaded photo without EXIF/GPS and other metadata; returns (bytes, ext).
    Raises ValueError for anything that is not a readable image, and PictureRefused (a
    ValueError too, with a message for the sender) for one with too many pixels, before any
    pixel is decoded."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from picketline.web.uploads import check_picture_header

    check_picture_header(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((2000, 2000))  # first, so the copies below are small
            image = ImageOps.exif_transpose(image)
            clean = Image.new("RGB", image.size)
            clean.paste(image.convert("RGB"))
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("not an image") from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue(), "jpg"


class ReportPhoto(PublicContent):
    report = models.ForeignKey(HostedReport, models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="events/reports/")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def affects_public_pages(self) -> bool:
        return self.report.affects_public_pages()

    @classmethod
    def store(cls, report: HostedReport, clean_jpeg: bytes) -> ReportPhoto:
        """Keep a photo that ``strip_metadata`` has already cleaned."""
        photo = cls(report=report)
        photo.image.save(f"{secrets.token_hex(8)}.jpg", ContentFile(clean_jpeg), save=False)
        photo.save()
        return photo
