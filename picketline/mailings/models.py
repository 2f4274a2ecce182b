"""Mailings: news written by organisers and sent to the supporters who asked for it.

A mailing has one version per language (subject and plain text) and a fallback language whose
version goes to anyone whose own language has none. Its audience is always people with a
standing consent, the organiser's "keep me informed" or one partner's; language, country, an
action taken and an event's registrants narrow it (``picketline.mailings.audience``).

Once scheduled, the worker turns the audience into outbox rows a batch at a time
(``sending.expand``), each naming the mailing and the supporter; the message itself is written
when it is sent (``sending.compose_mailing``), so the outbox keeps no copy of the text and a
consent withdrawn in the meantime stops the message.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_RATE = 60_000  # messages a minute: a thousand a second


# A word of the text that a mail program turns into a link.
LINK = re.compile(r"\S*(?:://|www\.|mailto:)\S*", re.IGNORECASE)


def group_of(mailing_id: int) -> str:
    """The outbox group of a mailing's messages (held, released, counted together)."""
    return f"mailing:{mailing_id}"


class Mailing(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(
        pgettext_lazy("the name of a thing, not a heading", "title"),
        max_length=200,
        help_text=_("For organisers only; recipients never see it."),
    )
    fallback_language = models.CharField(
        _("fallback language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Its version goes to everyone whose language has no version of its own."),
    )
    # Audience. Everyone in it has a standing consent: the organiser's "keep me informed", or,
    # with a partner named, that partner's (and only that partner's).
    # PROTECT: deleting the partner must not turn a draft into the organisers' own news.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Empty: news from the organisers, to those who asked to be kept informed. "
            "A partner: to those who agreed to hear from that partner only."
        ),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    took_action = models.CharField(
        _("took this kind of action"),
        max_length=100,
        blank=True,
        help_text=_("Only people with a confirmed action of this kind."),
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("registered for this event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Sending.
    rate = models.PositiveIntegerField(
        _("messages a minute"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RATE)],
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    expanded_at = models.DateTimeField(_("every message queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The last supporter (by key) already given a message: expansion resumes after it.
    cursor = models.BigIntegerField(default=0, editable=False)
    queued = models.PositiveIntegerField(_("messages queued"), default=0, editable=False)
    sent = models.PositiveIntegerField(_("sent"), default=0, editable=False)
    failed = models.PositiveIntegerField(_("failed"), default=0, editable=False)
    unsubscribed = models.PositiveIntegerField(_("unsubscribed"), default=0, editable=False)
    created_by = models.CharField(_("written by"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        permissions = [("send_mailing", _("Can schedule, send and cancel mailings"))]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                condition=models.Q(state__in=["scheduled", "sending"]),
                name="mailings_in_play",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def group(self) -> str:
        return group_of(self.pk)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    def version_for(self, language: str) -> MailingVersion | None:
        """The version a reader of ``language`` gets: their own, else the fallback's."""
        versions = {version.language: version for version in self.versions.all()}
        return versions.get(language) or versions.get(self.fallback_language)

    def send_after(self, index: int) -> datetime:
        """When the ``index``-th message (from 0) may go, at the mailing's rate."""
        from datetime import timedelta

        start = self.started_at or timezone.now()
        return start + timedelta(seconds=index * 60 / self.rate)


class MailingVersion(models.Model):
    """A mailing in one language: a subject and plain text. ``{name}`` in either becomes the
    recipient's name."""

    mailing = models.ForeignKey(Mailing, models.CASCADE, related_name="versions")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text. {name} becomes the recipient's name. Links are sent as written; "
            "a footer with the unsubscribe link is added."
        ),
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions by language")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "language"], name="one_version_a_language")
        ]

    def __str__(self) -> str:
        return f"{self.mailing} ({self.language})"

    def clean(self) -> None:
        # A link with the reader's name in it would tell the site it leads to who clicked it.
        if any("{name}" in link for link in LINK.findall(self.body)):
            raise ValidationError(
                {"body": _("{name} cannot be part of a link: the link would name its reader.")}
            )
