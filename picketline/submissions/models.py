"""What supporters send in — video messages, endorsements, action reports — and its moderation.

Every submission is a ``ConfirmableAction`` (the sender confirms by e-mail) and goes through one
moderation queue: nothing is public before it is both confirmed and approved. Every decision is
written to ``Decision`` (who, when, what, why). Files live in two storages (``STORAGES``, local
disk or S3): originals in ``private``, never served to the public; published versions in
``default``, served only through our own views while their item is public.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, storages
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from picketline.submissions.captions import normalise_webvtt, validate_webvtt
from picketline.supporters.models import (
    CONFIRMING_FIELDS,
    LINK_PAGE_FIELDS,
    ConfirmableAction,
    ConfirmableActionQuerySet,
    Consent,
    DangerousCountry,
    Supporter,
)
from picketline.web.content import PublicContent, content_changed
from picketline.web.countries import country_name
from picketline.web.fields import EncryptedTextField

if TYPE_CHECKING:
    from picketline.registers.models import Company

HASHTAG_RE = re.compile(r"#?([\w]{2,60})", re.UNICODE)

# Who may decide on submissions (``Decision.Meta.permissions``; the moderator role holds it).
MODERATE = "submissions.moderate"

logger = logging.getLogger(__name__)


def new_token() -> str:
    return secrets.token_urlsafe(12)


PUBLIC_FOLDER = "submissions"
# Longer than a try at a video's published copy can last (ffmpeg is stopped after an hour,
# ``media.ENCODE_TIMEOUT``, and the copies to and from the storage come on top).
PROCESSING_LASTS_AT_MOST = timedelta(hours=2)
# A try stopped by an error that passes by itself (the storage away, a full disk) is made
# again later, each wait longer than the last, this many tries in all; then the video has
# failed, as one ffmpeg refuses does at once. The waits are counted from the failed try; the
# periodic job (``jobs.queue_stalled_videos``, every 10 minutes) queues the next.
PROCESSING_TRIES = 5
PROCESSING_FIRST_WAIT = timedelta(minutes=10)


class WorkerStopped(Exception):
    """Why a video failed whose last try never ended: its worker was killed during it (out of
    memory while ffmpeg ran, SIGKILL), as it may be during any try that would come next."""

    def __init__(self) -> None:
        super().__init__(
            f"the last of {PROCESSING_TRIES} tries never ended: the worker was stopped during it "
            "(killed, out of memory, or restarted)"
        )


def private_files() -> Storage:
    """Originals waiting for moderation: never served to the public."""
    return storages["private"]


def public_files() -> Storage:
    return storages["default"]


def public_name(relative: str) -> str:
    """A published file's name in its storage (rows keep it without the folder)."""
    return f"{PUBLIC_FOLDER}/{relative}" if relative else ""


def stored(storage: Storage, name: str) -> list[tuple[Storage, str]]:
    return [(storage, name)] if name else []


def delete_file(storage: Storage, name: str) -> None:
    if name:
        storage.delete(name)


def normalise_hashtags(text: str) -> str:
    seen: list[str] = []
    for match in HASHTAG_RE.finditer(text or ""):
        tag = match.group(1)
        if tag.lower() not in {t.lower() for t in seen}:
            seen.append(tag)
    return " ".join(f"#{tag}" for tag in seen[:10])


class Status(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    CHANGES_REQUESTED = "changes", _("changes requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ModeratedQuerySet(ConfirmableActionQuerySet):
    def public(self) -> ModeratedQuerySet:
        """What anyone may see: confirmed by e-mail and approved by a moderator."""
        return self.filter(status=Status.APPROVED, confirmed_at__isnull=False)

    def waiting(self) -> ModeratedQuerySet:
        """The moderation queue: confirmed and not yet decided."""
        return self.filter(status=Status.PENDING, confirmed_at__isnull=False)


def waiting_index(name: str) -> models.Index:
    """The moderation queue's own index: ``waiting()`` is counted on every dashboard view and
    read oldest first, from these entries only, however many decided items are kept."""
    return models.Index(
        fields=["confirmed_at", "id"],
        name=name,
        condition=models.Q(status=Status.PENDING, confirmed_at__isnull=False),
    )


class NotWaiting(Exception):
    """The item no longer waits for a decision: decided, withdrawn or its sender erased since
    the moderator's page was drawn."""


class Submission(ConfirmableAction, PublicContent):
    """Base of the three kinds of submission: moderation state and the decisions on it."""

    # Subclasses set what the queue and the e-mails call one of them, and where they are shown.
    kind_label: Any = ""
    public_list_view = ""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def summary(self) -> str:
        """A short description for the queue, the digest and the sender's mail."""
        raise NotImplementedError

    def affects_public_pages(self) -> bool:
        """Only a published submission is on public pages: approved now, or approved as stored
        (an organiser who takes one back). ``decide()`` refreshes the pages itself."""
        if self.status == Status.APPROVED:
            return True
        return self.pk is not None and (
            type(self).objects.filter(pk=self.pk, status=Status.APPROVED).exists()
        )

    def log_label(self) -> str:
        """What the moderation log calls it: kept after erasure, so nothing the sender wrote."""
        return f"{self._meta.verbose_name} #{self.pk}"

    def files(self) -> list[tuple[Storage, str]]:
        """(storage, name) of every file this submission owns."""
        return []

    def delete_files(self) -> None:
        for storage, name in self.files():
            delete_file(storage, name)

    def delete(self, *args, **kwargs):
        self.delete_files()
        return super().delete(*args, **kwargs)

    # --- moderation ---------------------------------------------------------------------------

    def decide(self, user: Any, action: str, reason: str = "") -> Decision:
        """Record one moderation decision and apply it; mail the sender where there is news.

        Raises ``NotWaiting`` unless the item, read again under a row lock, still waits: a
        sender who withdrew or was erased while the moderator looked is never published."""
        with transaction.atomic():
            self.refresh_from_db(from_queryset=type(self).objects.select_for_update())
            if self.status != Status.PENDING or self.confirmed_at is None:
                raise NotWaiting
            now = timezone.now()
            new_status = {
                Decision.Action.APPROVE: Status.APPROVED,
                Decision.Action.REJECT: Status.REJECTED,
                Decision.Action.REQUEST_CHANGES: Status.CHANGES_REQUESTED,
            }[action]
            self.status = new_status
            self.decided_at = now
            self.save()
            decision = Decision.log(self, action, user, reason)
            on_the_site_later = False
            if action == Decision.Action.APPROVE:
                on_the_site_later = self.on_approved()
            elif action == Decision.Action.REJECT:
                # A refused item is not kept: its files go at once.
                self.delete_files()
                self.clear_files()
            from picketline.submissions import notify

            # The approval mail says the item is on the site: for one that is not yet (a video
            # whose copy for the web is still to be made), it goes when it is.
            if not on_the_site_later:
                notify.decision_mail(self, decision)
            content_changed()
            return decision

    def on_approved(self) -> bool:
        """Hook for work after approval (videos are re-encoded). Returns whether the item
        reaches the site only later, when that work is done (its approval mail waits)."""
        return False

    def clear_files(self) -> None:
        """Forget the names of deleted files (subclasses blank their file fields)."""

    def resubmit(self) -> None:
        """The sender made the changes asked for: back into the queue."""
        self.status = Status.PENDING
        self.save()

    def withdraw(self, user: Any = None, reason: str = "") -> None:
        """Take it down at once and delete its files: the sender withdrew or was erased, or
        (with ``user``) a moderator took a published item down."""
        self.delete_files()
        self.clear_files()
        self.status = Status.WITHDRAWN
        self.decided_at = timezone.now()
        self.save()
        action = Decision.Action.TAKE_DOWN if user is not None else Decision.Action.WITHDRAW
        Decision.log(self, action, user, reason)

    def on_rejected(self) -> None:
        # "It was not me": the row and its files go.
        self.delete()

    def after_confirming_url(self, newly: bool) -> str:
        kind = self._meta.model_name
        return reverse(
            "submissions:confirmed" if newly else "submissions:already_confirmed", args=[kind]
        )

    def public_list_url(self) -> str:
        return reverse(self.public_list_view)

    def admin_url(self) -> str:
        return reverse(f"admin:submissions_{self._meta.model_name}_change", args=[self.pk])


# ---------------------------------------------------------------------------------------------


def _face_voice_consent_active() -> Exists:
    """The sender's consent to publish face and voice for this video is still in force."""
    return Exists(
        Consent.objects.filter(
            action_type="submissions.videomessage",
            action_id=OuterRef("pk"),
            purpose=Consent.Purpose.PUBLISH_FACE_VOICE,
            withdrawn_at__isnull=True,
        )
    )


class EndorsementQuerySet(ModeratedQuerySet):
    def public(self) -> EndorsementQuerySet:
        """Never one from a country marked as dangerous, also one marked after it was
        published (the form says so: its members would be in danger)."""
        return super().public().exclude(country__in=DangerousCountry.objects.codes())


class ActionReportQuerySet(ModeratedQuerySet):
    def public(self) -> ActionReportQuerySet:
        """Never a report of an action in a country marked as dangerous, also one marked after
        it was published (the form says so). The country is encrypted: the approved reports'
        countries are read and compared here, only while some country is marked."""
        shown = super().public()
        codes = DangerousCountry.objects.codes()
        if not codes:
            return shown
        approved = ActionReport.objects.filter(status=Status.APPROVED).values_list("pk", "country")
        hidden = [pk for pk, country in approved if country.strip().upper() in codes]
        return shown.exclude(pk__in=hidden) if hidden else shown


class VideoQuerySet(ModeratedQuerySet):
    def public(self) -> VideoQuerySet:
        """Approved, confirmed, still consented to, and playable (or a link)."""
        return (
            super()
            .public()
            .filter(_face_voice_consent_active())
            .filter(models.Q(processing="done") | models.Q(link__gt="", original="", video=""))
        )

    def consent_withdrawn(self) -> VideoQuerySet:
        return self.exclude(status=Status.WITHDRAWN).exclude(_face_voice_consent_active())

    def processing_stalled(self, now: datetime) -> VideoQuerySet:
        """Approved uploads still queued whose last try was queued or began longer ago than a
        try can last (its worker was killed), whose task was never queued, or whose last try
        failed on an error that passes by itself and whose next try is due."""
        return self.filter(
            models.Q(processing_since__isnull=True)
            & (models.Q(processing_retry_at__isnull=True) | models.Q(processing_retry_at__lte=now))
            | models.Q(processing_since__lt=now - PROCESSING_LASTS_AT_MOST),
            status=Status.APPROVED,
            processing=VideoMessage.Processing.QUEUED,
        ).exclude(original="")


class VideoMessage(Submission):
    class DisplayName(models.TextChoices):
        FULL = "full", _("my full name")
        FIRST_AND_COUNTRY = "first_country", _("my first name and country")
        ANONYMOUS = "anonymous", _("anonymous")

    class Processing(models.TextChoices):
        NONE = "", _("nothing to do")
        WAITING = "waiting", _("waiting for approval")
        QUEUED = "queued", _("queued")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind_label = _("video message")
    public_list_view = "submissions:videos"
    # Its link's page and confirming read nothing of its own (its subject is always the same).
    fields_shown_with_link = LINK_PAGE_FIELDS
    fields_loaded_to_confirm = CONFIRMING_FIELDS

    objects = VideoQuerySet.as_manager()

    # What a sender typed or linked is encrypted at rest, published or not (web.fields).
    text = EncryptedTextField(_("message"), max_length=500, blank=True)
    hashtags = EncryptedTextField(_("hashtags"), max_length=300, blank=True)
    display_name = models.CharField(
        _("show as"), max_length=16, choices=DisplayName.choices, default=DisplayName.ANONYMOUS
    )
    # The name as it will be shown, decided when sent (encrypted: it is personal data); with
    # "first name and country" the country is kept as a code and named in the reader's language.
    public_name = EncryptedTextField(_("public name"), blank=True)
    public_country = EncryptedTextField(_("country shown"), max_length=2, blank=True)
    link = EncryptedTextField(
        _("link to a public post"), max_length=500, blank=True, validators=[URLValidator()]
    )
    original = models.CharField(max_length=200, blank=True, editable=False)
    original_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    video = models.CharField(max_length=200, blank=True, editable=False)
    poster = models.CharField(max_length=200, blank=True, editable=False)
    processing = models.CharField(
        _("processing"), max_length=10, choices=Processing.choices, blank=True, default=""
    )
    # What is said in the video, as WebVTT: the sender's voice in writing, so encrypted too.
    captions = EncryptedTextField(
        _("captions (WebVTT)"),
        blank=True,
        validators=[validate_webvtt],
        help_text=_("Shown under the video as captions. The file starts with the line WEBVTT."),
    )
    captions_language = models.CharField(
        _("language of the captions"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language the sender chose."),
    )
    # When the last try at making the published copy was queued or began: a try older than
    # PROCESSING_LASTS_AT_MOST was interrupted, and the worker queues the video again.
    processing_since = models.DateTimeField(null=True, blank=True, editable=False)
    # Tries at the published copy that began, what stopped the last one that failed, and when
    # the next is due after an error that passes by itself (the organisers see them).
    processing_attempts = models.PositiveSmallIntegerField(
        _("tries at the published copy"), default=0, editable=False
    )
    processing_error = models.TextField(_("last error"), blank=True, editable=False)
    processing_retry_at = models.DateTimeField(_("next try"), null=True, blank=True, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    duration = models.FloatField(null=True, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("video message")
        verbose_name_plural = _("video messages")
        ordering = ["-created_at"]
        indexes = [waiting_index("videomessage_waiting")]

    def __str__(self) -> str:
        return f"{_('Video message')} #{self.pk}"

    def summary(self) -> str:
        what = _("uploaded video") if self.original or self.video else _("link")
        return f"{_('Video message')} #{self.pk} ({what}): {self.text[:80]}"

    def confirmation_subject(self) -> str:
        return str(_("Your video message"))

    def files(self) -> list[tuple[Storage, str]]:
        return [
            *stored(private_files(), self.original),
            *stored(public_files(), public_name(self.video)),
            *stored(public_files(), public_name(self.poster)),
        ]

    def clear_files(self) -> None:
        if self.original:
            self.original_deleted_at = timezone.now()
        self.original = self.video = self.poster = ""
        if self.processing in (self.Processing.WAITING, self.Processing.QUEUED):
            self.processing = self.Processing.NONE

    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()

    def shown_name(self) -> str:
        """The sender as the public sees them, the country in the reader's language; never a
        country marked as dangerous for supporters (also one marked after the video came)."""
        shown = self.public_country and not DangerousCountry.is_dangerous(self.public_country)
        country = country_name(self.public_country) if shown else ""
        return ", ".join(part for part in (self.public_name, country) if part)

    @property
    def is_playable(self) -> bool:
        return bool(self.video) and self.processing == self.Processing.DONE

    def video_url(self) -> str:
        return reverse("submissions_media:video", args=[self.public_token])

    def poster_url(self) -> str:
        return reverse("submissions_media:poster", args=[self.public_token])

    def clean(self) -> None:
        super().clean()
        # Typed into the admin: browsers send CRLF, the form strips the last line break.
        self.captions = normalise_webvtt(self.captions)

    def captions_url(self) -> str:
        return reverse("submissions_media:captions", args=[self.public_token])

    @property
    def captions_srclang(self) -> str:
        return self.captions_language or self.language

    def captions_label(self) -> str:
        return get_language_info(self.captions_srclang)["name_local"]

    def get_absolute_url(self) -> str:
        return reverse("submissions:video", args=[self.pk])

    def link_host(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.link).hostname or ""

    def on_approved(self) -> bool:
        if self.original and self.processing != self.Processing.DONE:
            self.processing = self.Processing.QUEUED
            self.processing_since = timezone.now()
            self.processing_attempts, self.processing_error = 0, ""
            self.processing_retry_at = None
            self.save(
                update_fields=[
                    "processing",
                    "processing_since",
                    "processing_attempts",
                    "processing_error",
                    "processing_retry_at",
                ]
            )
            from picketline.submissions.tasks import process_video

            pk = self.pk
            transaction.on_commit(lambda: process_video.enqueue(pk))
            return True
        return False

    def process(self, *, tell_the_sender: bool = True) -> str:
        """Make the published copy (web MP4 without metadata, and a poster) from the original.
        Runs in the worker after approval; running it again is harmless. A try stopped by an
        error that passes by itself is left queued for a later one (``after_failed_try``);
        once ``PROCESSING_TRIES`` began, a video still queued (its last try was killed) fails
        instead of beginning another. The sender's approval mail, held at the decision, goes with the copy (not for the
        demo's seeded videos: ``tell_the_sender=False``)."""
        from picketline.submissions import media, storage

        if self.processing == self.Processing.DONE and self.video:
            return "done already"
        if self.status != Status.APPROVED or not self.original:
            return "nothing to do"
        # From now on the try is this one: it is not queued again while it may still run. It
        # is counted before the work, committed at once (the task runs outside a transaction),
        # so that a try whose worker is killed counts too; none begins once PROCESSING_TRIES did.
        queued = VideoMessage.objects.filter(pk=self.pk, processing=self.Processing.QUEUED)
        began = queued.filter(processing_attempts__lt=PROCESSING_TRIES).update(
            processing_since=timezone.now(),
            processing_retry_at=None,
            processing_attempts=F("processing_attempts") + 1,
        )
        if not began:
            if queued.exists():  # the last try began and never ended: its worker was killed
                self.after_failed_try(WorkerStopped(), tell_the_sender=tell_the_sender)
                return "tries ran out"
            if VideoMessage.objects.filter(pk=self.pk, processing=self.Processing.DONE).exists():
                return "done already"
            return "nothing to do"  # failed, or taken down meanwhile
        made: list[str] = []
        try:
            # ffmpeg reads and writes files: it works on copies in this machine's scratch
            # folder, and what it made goes to the storage, whichever machine serves it.
            with storage.scratch_folder() as folder:
                work = Path(folder)
                source = storage.copy_to_disk(
                    private_files(), self.original, work / f"original{Path(self.original).suffix}"
                )
                info = media.transcode_video(source, work / "video.mp4", work / "poster.jpg")
                made.append(storage.store_public_file("videos", work / "video.mp4"))
                made.append(storage.store_public_file("posters", work / "poster.jpg"))
        except Exception as error:  # a refused file, ffmpeg failing, the storage failing
            try:
                for relative in made:
                    delete_file(public_files(), public_name(relative))
            except Exception:  # the storage went away mid-copy: the try is still recorded
                logger.warning("video #%s: a part of its copy was left behind", self.pk)
            if self.after_failed_try(error, tell_the_sender=tell_the_sender):
                return "tried again later"
            raise
        video_name, poster_name = made
        with transaction.atomic():
            # Withdrawn or rejected while we worked: the new files must not stay.
            fresh = VideoMessage.objects.select_for_update().get(pk=self.pk)
            if fresh.status != Status.APPROVED or not fresh.original:
                for relative in made:
                    delete_file(public_files(), public_name(relative))
                return "withdrawn meanwhile"
            if fresh.processing == self.Processing.DONE:  # a try queued again finished first
                for relative in made:
                    delete_file(public_files(), public_name(relative))
                return "done already"
            if fresh.processing == self.Processing.FAILED:
                # This try outlasted what a try may last, and a task queued again took it for
                # killed: the video failed and its sender was told it is not shown. So it is not.
                for relative in made:
                    delete_file(public_files(), public_name(relative))
                return "failed meanwhile"
            fresh.video, fresh.poster = video_name, poster_name
            fresh.processing = self.Processing.DONE
            fresh.processed_at = timezone.now()
            fresh.duration, fresh.width, fresh.height = info.duration, info.width, info.height
            if settings.SUBMISSIONS_KEEP_ORIGINALS_DAYS == 0:
                delete_file(private_files(), fresh.original)
                fresh.original = ""
                fresh.original_deleted_at = fresh.processed_at
            fresh.save()
            from picketline.submissions import notify

            # Now it is on the site: the approval mail, with the copy, or neither.
            approval = Decision.objects.for_item(fresh).approvals().first()
            if tell_the_sender and approval is not None:
                notify.decision_mail(fresh, approval)
        return "done"

    def after_failed_try(
        self, error: Exception, now: datetime | None = None, *, tell_the_sender: bool = True
    ) -> bool:
        """Record a try that ``error`` stopped. An error that passes by itself leaves the video
        queued for a try after a wait (10 minutes, then three times longer each time) until
        ``PROCESSING_TRIES`` began; any other error, or the last try's, fails it at once.
        Returns whether it will be tried again. A video no longer queued (taken down, or made
        by another try meanwhile) keeps its state."""
        from picketline.submissions.storage import passes_by_itself

        now = now or timezone.now()
        queued = VideoMessage.objects.filter(pk=self.pk, processing=self.Processing.QUEUED)
        tries = queued.values_list("processing_attempts", flat=True).first()
        what = f"{type(error).__name__}: {error}"[:1000]
        if tries is not None and tries < PROCESSING_TRIES and passes_by_itself(error):
            wait = PROCESSING_FIRST_WAIT * 3 ** (max(tries, 1) - 1)
            queued.update(
                processing_error=what, processing_since=None, processing_retry_at=now + wait
            )
            return True
        with transaction.atomic():
            # The sender, told nothing at approval, learns it will not be shown: with the
            # failure, or (after a crash) neither.
            failed = queued.update(processing_error=what, processing=self.Processing.FAILED)
            if failed and tell_the_sender:
                from picketline.submissions import notify

                notify.video_not_published(self)
        return False

    def withdraw(self, user: Any = None, reason: str = "") -> None:
        """As every submission; and when the sender withdrew (or was erased) after it had been
        published, the video moderators are told in the same transaction to take it down from
        the campaign's channels too (the consent covered them). A moderator's own take-down
        (``user``) tells nobody: they took it down themselves."""
        published_at = self.published_at() if user is None else None
        super().withdraw(user, reason)
        if published_at is not None:
            from picketline.submissions import notify

            notify.video_down_to_moderators(self, published_at)

    def published_at(self) -> datetime | None:
        """When a moderator last approved it, if it has been published and is not down yet
        (then it may have been shared on the campaign's channels); else None."""
        if self.status == Status.WITHDRAWN or self.pk is None or self.confirmed_at is None:
            return None
        approved = Decision.objects.for_item(self).filter(action=Decision.Action.APPROVE).first()
        if approved is not None:
            return approved.decided_at
        if self.status != Status.APPROVED:
            return None
        # Approved without a logged decision (a row set by hand or by an older release).
        return self.decided_at or self.confirmed_at

    def delete_original(self) -> None:
        delete_file(private_files(), self.original)
        self.original = ""
        self.original_deleted_at = timezone.now()
        self.save(update_fields=["original", "original_deleted_at"])

    def personal_data(self) -> dict[str, Any]:
        return {
            gettext("status"): self.status,
            gettext("message"): self.text,
            gettext("hashtags"): self.hashtags,
            gettext("show as"): self.display_name,
            gettext("public name"): self.shown_name(),
            # Stored as chosen, also when the public is not shown it (a dangerous country).
            gettext("country shown"): self.public_country,
            gettext("link"): self.link,
            gettext("video file"): bool(self.original or self.video),
            gettext("captions"): self.captions,
        }

    def erase_personal_data(self) -> None:
        self.withdraw()
        self.text = ""
        self.public_name = self.public_country = ""
        self.link = ""
        self.hashtags = ""
        self.captions = ""
        self.display_name = self.DisplayName.ANONYMOUS


# ---------------------------------------------------------------------------------------------


class Endorsement(Submission):
    class Kind(models.TextChoices):
        UNION = "union", _("trade union")
        FEDERATION = "federation", _("union federation or confederation")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("other organisation")

    kind_label = _("endorsement")
    public_list_view = "submissions:endorsements"

    organisation = models.CharField(_("organisation"), max_length=200)
    country = models.CharField(
        _("country"), max_length=100, help_text=_("Two-letter ISO code, e.g. DE.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    # The organisation's name and country stay in clear: the public list is sorted and
    # grouped by them, and they name an organisation, not the person who sent it.
    website = EncryptedTextField(
        _("website"), max_length=300, blank=True, validators=[URLValidator()]
    )
    statement = EncryptedTextField(_("statement"), max_length=2000, blank=True)
    logo = models.CharField(max_length=200, blank=True, editable=False)
    # The private contact is the supporter (name, address); their role stays private too.
    contact_role = EncryptedTextField(_("contact's role"), blank=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["country", "organisation"]
        indexes = [waiting_index("endorsement_waiting")]

    def __str__(self) -> str:
        return self.organisation

    def summary(self) -> str:
        return f"{_('Endorsement')}: {self.organisation} ({country_name(self.country)})"

    def confirmation_subject(self) -> str:
        return str(_("Endorsement by %(organisation)s") % {"organisation": self.organisation})

    def earlier_of_same(self, supporter: Supporter) -> Endorsement | None:
        """One endorsement per person and organisation (the name compared in any case, in
        Python so that Cyrillic compares alike on every database); one a moderator turned
        down may be sent again."""
        name = " ".join(self.organisation.split()).casefold()
        earlier = (
            Endorsement.objects.filter(supporter=supporter)
            .exclude(pk=self.pk)
            .exclude(status=Status.REJECTED)
            .order_by(F("confirmed_at").asc(nulls_last=True), "pk")
        )
        for endorsement in earlier:
            if " ".join(endorsement.organisation.split()).casefold() == name:
                return endorsement
        return None

    def log_label(self) -> str:
        # An organisation's name is not personal data, and the log is more useful with it.
        return f"{self._meta.verbose_name} #{self.pk}: {self.organisation}"

    def files(self) -> list[tuple[Storage, str]]:
        return stored(public_files(), public_name(self.logo))

    def clear_files(self) -> None:
        self.logo = ""

    def logo_url(self) -> str:
        return reverse("submissions_media:logo", args=[self.public_token])

    def personal_data(self) -> dict[str, Any]:
        return {
            gettext("organisation"): self.organisation,
            gettext("status"): self.status,
            gettext("contact's role"): self.contact_role,
        }

    def erase_personal_data(self) -> None:
        # A published endorsement is the organisation's and stays (its approval mail says
        # so); only its contact person goes. One nobody approved yet goes with its sender: it
        # leaves the queue, no moderator can publish it, and nobody will ever read its text.
        if self.status in (Status.PENDING, Status.CHANGES_REQUESTED):
            self.withdraw()
            self.statement = self.website = ""
        self.contact_role = ""


# ---------------------------------------------------------------------------------------------


class ActionReport(Submission):
    class Kind(models.TextChoices):
        DUE_DILIGENCE = "due_diligence", _("due-diligence meeting with a company")
        ILO_MEETING = "ilo_meeting", _("meeting with an ILO representative")
        LETTER_DELIVERED = "letter", _("letter delivered")
        PICKET = "picket", _("picket")
        OTHER = "other", _("other action")

    kind_label = _("action report")
    public_list_view = "submissions:reports"
    MAX_PHOTOS = 4

    kind = models.CharField(_("kind of action"), max_length=16, choices=Kind.choices)
    # Everything the reporter typed is encrypted; counts by country are made when read. The
    # country is a two-letter ISO code.
    country = EncryptedTextField(_("country"), max_length=100)
    happened_on = models.DateField(_("date"))
    title = EncryptedTextField(_("title"), max_length=200)
    text = EncryptedTextField(_("what happened"), max_length=4000)
    group_name = EncryptedTextField(
        _("on behalf of"),
        max_length=200,
        blank=True,
        help_text=_("An organisation or group, shown publicly. Leave empty to stay anonymous."),
    )
    company = models.ForeignKey(
        "registers.Company",
        verbose_name=_("company in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_reports",
    )
    company_name = EncryptedTextField(_("company"), max_length=300, blank=True)
    business_partner = EncryptedTextField(_("business partner"), max_length=300, blank=True)
    outcome = EncryptedTextField(_("outcome"), max_length=2000, blank=True)

    objects = ActionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("action report")
        verbose_name_plural = _("action reports")
        ordering = ["-happened_on", "-created_at"]
        indexes = [waiting_index("actionreport_waiting")]

    def __str__(self) -> str:
        return self.title

    def summary(self) -> str:
        where = country_name(self.country)
        return f"{_('Action report')}: {self.title} ({self.get_kind_display()}, {where})"

    def confirmation_subject(self) -> str:
        return str(_("Your report: %(title)s") % {"title": self.title})

    def get_absolute_url(self) -> str:
        return reverse("submissions:report", args=[self.pk])

    def company_display(self) -> str:
        return self.company.name if self.company_id else self.company_name

    def public_company(self) -> Company | None:
        """The register's company as the public may see it: none while the register hides it
        (the report then names only what its sender typed, if anything)."""
        return self.company if self.company_id and self.company.is_published else None

    def public_company_name(self) -> str:
        company = self.public_company()
        return company.name if company else self.company_name

    def files(self) -> list[tuple[Storage, str]]:
        return [(public_files(), public_name(photo.file)) for photo in self.photos.all()]

    def clear_files(self) -> None:
        self.photos.all().delete()

    def personal_data(self) -> dict[str, Any]:
        return {
            gettext("title"): self.title,
            gettext("status"): self.status,
            gettext("kind of action"): self.get_kind_display(),
            gettext("date"): self.happened_on.isoformat(),
            gettext("country"): self.country,
            gettext("text"): self.text,
            gettext("on behalf of"): self.group_name,
            gettext("company"): self.company_name,
            gettext("business partner"): self.business_partner,
            gettext("outcome"): self.outcome,
            gettext("photos"): self.photos.count(),
        }

    def erase_personal_data(self) -> None:
        # Withdrawn, the report is public no more: nothing its writer typed needs to stay.
        self.withdraw()
        self.title = ""
        self.text = ""
        self.outcome = ""
        self.group_name = ""
        self.company_name = ""
        self.business_partner = ""


class ReportPhoto(models.Model):
    report = models.ForeignKey(ActionReport, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(_("file"), max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{_('Photo')} #{self.pk}"

    def url(self) -> str:
        return reverse("submissions_media:photo", args=[self.public_token])

    def delete(self, *args, **kwargs):
        delete_file(public_files(), public_name(self.file))
        return super().delete(*args, **kwargs)


# ---------------------------------------------------------------------------------------------


class DecisionQuerySet(models.QuerySet["Decision"]):
    def for_item(self, item: Submission) -> DecisionQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ).order_by("-decided_at", "-pk")

    def approvals(self) -> DecisionQuerySet:
        return self.filter(action=Decision.Action.APPROVE)


class Decision(models.Model):
    """One moderation decision: who, when, on what, and why. Never edited, never deleted."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        REQUEST_CHANGES = "changes", _("asked for changes")
        WITHDRAW = "withdraw", _("withdrawn by the sender")
        TAKE_DOWN = "takedown", _("taken down by a moderator")
        RESUBMIT = "resubmit", _("changed and sent again by the sender")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of item")
    )
    object_id = models.PositiveBigIntegerField(_("item number"))
    item = models.CharField(_("item"), max_length=300)
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    reason = EncryptedTextField(_("reason"), blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderator_name = models.CharField(_("moderator's user name"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")
        ordering = ["-decided_at"]
        permissions = [("moderate", _("Can moderate what supporters send in"))]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.item}"

    @classmethod
    def log(cls, item: Submission, action: str, user: Any = None, reason: str = "") -> Decision:
        known = user is not None and getattr(user, "pk", None) is not None
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            item=str(item.log_label())[:300],
            action=action,
            reason=reason,
            moderator=user if known else None,
            moderator_name=user.get_username() if known else "",
        )

    @classmethod
    def record_resubmission(cls, item: Submission) -> Decision:
        return cls.log(item, cls.Action.RESUBMIT)

    def target(self) -> Submission | None:
        model = self.content_type.model_class()
        return model.objects.filter(pk=self.object_id).first() if model else None


SUBMISSION_MODELS: list[type[Submission]] = [VideoMessage, Endorsement, ActionReport]


def sender_language(item: Submission) -> str:
    return item.language or (item.supporter.language if item.supporter_id else "en")
