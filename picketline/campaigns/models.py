"""The campaign as content: what the organiser writes and edits in the admin.

Every text an organiser writes is translated per field (``translation.py``); dates are stated once
and every "past / today / upcoming" is computed from the clock in the campaign's own time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from picketline.web.content import PublicContent
from picketline.web.validators import validate_time_zone


def validate_destination(value: str) -> None:
    """A path inside this site, without the language prefix: ``letters/release/``."""
    if value.startswith("/") or "//" in value or ":" in value or "\\" in value:
        raise ValidationError(
            _("Give a path inside this site without the language, e.g. letters/release/")
        )


E164 = RegexValidator(
    r"^\+[1-9][0-9]{6,14}$",
    _("Write the number in international form without spaces, e.g. +4915203268972."),
)
HASHTAG = RegexValidator(r"^[^\s#]+$", _("Write the hashtag without '#' and without spaces."))


class DayStatus(models.TextChoices):
    PAST = "past", _("past")
    TODAY = "today", _("today")
    UPCOMING = "upcoming", _("upcoming")


class CampaignStatus(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    RUNNING = "running", _("running")
    ENDED = "ended", _("ended")


class CampaignQuerySet(models.QuerySet):
    def current(self) -> Campaign | None:
        """The campaign the site shows: the one marked current, else the latest to start."""
        return self.order_by("-is_current", "-starts_on", "-pk").first()


class Campaign(PublicContent):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(
        pgettext_lazy("the name of a thing, not a heading", "title"), max_length=200
    )
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences."))
    body = models.TextField(
        _("body"), blank=True, help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day of the campaign."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_time_zone],
        help_text=_("Dates and times of the campaign are in this zone, e.g. Europe/Berlin."),
    )
    day_of_action_on = models.DateField(_("Day of Action"), null=True, blank=True)
    day_of_action_title = models.CharField(_("Day of Action title"), max_length=200, blank=True)
    day_of_action_text = models.TextField(_("Day of Action text"), blank=True)
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("The campaign shown on the home page.")
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.is_current:
            # One current campaign: marking this one unmarks the others.
            Campaign.objects.filter(is_current=True).exclude(pk=self.pk).update(is_current=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)

    def today(self) -> date:
        return self.local_now().date()

    def status(self) -> CampaignStatus:
        today = self.today()
        if today < self.starts_on:
            return CampaignStatus.UPCOMING
        if today > self.ends_on:
            return CampaignStatus.ENDED
        return CampaignStatus.RUNNING

    def day_of_action_status(self) -> DayStatus | None:
        if self.day_of_action_on is None:
            return None
        return day_status(self.day_of_action_on, self.today())

    def days_until_day_of_action(self) -> int | None:
        if self.day_of_action_on is None:
            return None
        return (self.day_of_action_on - self.today()).days

    def get_absolute_url(self) -> str:
        return reverse("campaigns:home")

    def public_url(self) -> str:
        """The home page in the current language, absolute, for share links."""
        return settings.SITE_URL + self.get_absolute_url()

    def share_text(self, hashtag: Hashtag | None = None) -> str:
        """What a supporter posts: the title (in the current language) and the hashtags."""
        tags = [hashtag] if hashtag else list(self.hashtags.all())
        title = self.title if self.title[-1:] in ".!?…" else f"{self.title}:"
        return " ".join([title, *(tag.tagged for tag in tags)])


def day_status(day: date, today: date) -> DayStatus:
    if day < today:
        return DayStatus.PAST
    if day > today:
        return DayStatus.UPCOMING
    return DayStatus.TODAY


class Demand(PublicContent):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="demands")
    text = models.CharField(_("demand"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Organisation(PublicContent):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("organiser")
        PARTNER = "partner", _("partner")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="organisations")
    role = models.CharField(
        pgettext_lazy("role of an organisation in a campaign", "role"),
        max_length=20,
        choices=Role,
        default=Role.ORGANISER,
    )
    name = models.CharField(pgettext_lazy("name of an organisation", "name"), max_length=200)
    url = models.URLField(_("web address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisers and partners")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class SupporterAction(PublicContent):
    """One of the things a supporter can do; its call to action leads to where the action lives."""

    class Kind(models.TextChoices):
        RELEASE_LETTER = "release_letter", _("Letter demanding release, embassy pickets")
        ILO_LETTER = "ilo_letter", _("Letters on the 2023 ILO resolution")
        THEMATIC_MEETING = "thematic_meeting", _("ILO thematic meeting on Belarus")
        DUE_DILIGENCE = "due_diligence", _("Due diligence on Belarusian companies")
        VIDEO_MESSAGE = "video_message", _("Video message of solidarity")
        ONLINE_MEETING = "online_meeting", _("Online meeting")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="actions", verbose_name=_("campaign")
    )
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.OTHER)
    title = models.CharField(
        pgettext_lazy("the name of a thing, not a heading", "title"), max_length=200
    )
    summary = models.TextField(_("summary"), help_text=_("Shown on the action's card."))
    body = models.TextField(
        _("body"), blank=True, help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    cta_label = models.CharField(_("call to action"), max_length=100)
    destination = models.CharField(
        _("destination"),
        max_length=200,
        validators=[validate_destination],
        help_text=_(
            "Where the call to action leads, inside this site and without the language: "
            "letters/release/, events/, submit/video/."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("supporter action")
        verbose_name_plural = _("supporter actions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="unique_action_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:action", args=[self.slug])

    def destination_url(self) -> str:
        """The destination under the current language prefix: /de/letters/release/."""
        language = (get_language() or "en").split("-")[0]
        return f"/{language}/{self.destination}"


class Hashtag(PublicContent):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="hashtags")
    text = models.CharField(_("hashtag"), max_length=100, validators=[HASHTAG])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.tagged

    @property
    def tagged(self) -> str:
        return f"#{self.text}"


class Contact(PublicContent):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[E164])
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def phone_display(self) -> str:
        """+4915203268972 → +49 1520 3268972: easier to read, the link keeps the plain form."""
        match = re.fullmatch(r"\+(\d{2})(\d{3,4})(\d+)", self.phone)
        if not match:
            return self.phone
        return "+{} {} {}".format(*match.groups())


class TimelineEntry(PublicContent):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="timeline", verbose_name=_("campaign")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    important = models.BooleanField(
        _("important date"), default=False, help_text=_("Also listed under important dates.")
    )

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["date", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_at and not self.starts_at:
            raise ValidationError({"starts_at": _("Give the start time too.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    def status(self) -> DayStatus:
        """Past, today or upcoming in the campaign's time zone; a timed entry that is over
        today already counts as past."""
        now = self.campaign.local_now()
        status = day_status(self.date, now.date())
        if status == DayStatus.TODAY and self.ends_at and now.time() >= self.ends_at:
            return DayStatus.PAST
        return status

    def starts(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return datetime.combine(self.date, self.starts_at, tzinfo=self.campaign.zone)

    def ends(self) -> datetime | None:
        if self.ends_at is None:
            return None
        return datetime.combine(self.date, self.ends_at, tzinfo=self.campaign.zone)


class LegalPageQuerySet(models.QuerySet["LegalPage"]):
    def of_kind(self, kind: str) -> LegalPage | None:
        return self.filter(kind=kind).first()


class LegalPage(PublicContent):
    """The imprint and the privacy policy: written by the organisers, per language.

    The body is plain text: a blank line starts a new paragraph, a line starting with "## " is a
    heading, lines starting with "- " form a list. Figures the site itself decides are written
    as placeholders (``PLACEHOLDERS``) and filled in from the settings when the page is shown,
    so the text cannot promise a period the site does not keep."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy policy")

    kind = models.CharField(_("page"), max_length=10, choices=Kind, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "A blank line starts a paragraph; a line starting with “## ” is a heading; lines "
            "starting with “- ” make a list. These are replaced by the site's own figures: "
            "{unconfirmed_days}, {retention_months}, {sent_mail_days}, {originals_days}, "
            "{backup_days}."
        ),
    )
    updated_on = models.DateField(_("last changed"))

    objects = LegalPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.Kind(self.kind).label)

    def body_in(self, language: str) -> tuple[str, str]:
        """The text in ``language``, or in English while nobody has translated it: (text, its
        language)."""
        for candidate in (language, settings.LANGUAGE_CODE):
            text = getattr(self, build_localized_fieldname("body", candidate), "") or ""
            if text.strip():
                return text, candidate
        return "", language

    def get_absolute_url(self) -> str:
        name = "legal:imprint" if self.kind == self.Kind.IMPRINT else "legal:privacy_policy"
        return reverse(name)
