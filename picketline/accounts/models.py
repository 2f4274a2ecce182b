from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from picketline.web.validators import validate_time_zone

INVITATION_LIFETIME = timedelta(hours=48)


class AuditEntry(models.Model):
    """An organiser saw or exported supporters' personal data: who, when, what — never the data."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")
        SEND = "send", _("sent mail to")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150)
    action = models.CharField(_("what was done"), max_length=10, choices=Action.choices)
    what = models.CharField(
        _("which records"), max_length=200, help_text=_("Which records, by type and number.")
    )

    class Meta:
        # The table the supporters app created: the model moved here, its rows stayed put.
        db_table = "supporters_auditentry"
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.what}"

    @classmethod
    def log(cls, user: Any, action: str, what: str) -> AuditEntry:
        return cls.objects.create(
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "?",
            action=action,
            what=what[:200],
        )


def _invitation_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffInvitationQuerySet(models.QuerySet["StaffInvitation"]):
    def usable(self) -> StaffInvitationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class StaffInvitation(models.Model):
    """A one-time link that sets up a staff account: its password and its authenticator app,
    together. Outside the demo this is the only way to enrol an authenticator, so the person
    who first types a staff password is not the one who decides whose phone holds the second
    factor. Only a hash of the link's token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.CharField(_("created by"), max_length=150, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)
    used_at = models.DateTimeField(_("used"), null=True, blank=True, editable=False)

    objects = StaffInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("set-up link")
        verbose_name_plural = _("set-up links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Set-up link')} #{self.pk}"

    @classmethod
    def issue(
        cls, user: Any, *, created_by: str, lifetime: timedelta = INVITATION_LIFETIME
    ) -> tuple[StaffInvitation, str]:
        """A new link for ``user``; earlier unused links for the account stop working.
        Returns the invitation and the token, which is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            cls.objects.filter(user=user, used_at__isnull=True).delete()
            invitation = cls.objects.create(
                user=user,
                token_hash=_invitation_hash(token),
                created_by=created_by[:150],
                expires_at=timezone.now() + lifetime,
            )
        return invitation, token

    @classmethod
    def usable_for_token(cls, token: str) -> StaffInvitation | None:
        return (
            cls.objects.usable()
            .filter(token_hash=_invitation_hash(token), user__is_active=True)
            .select_related("user")
            .first()
        )

    def use(self) -> bool:
        """Mark the link used; False when another request used it first (or it ran out)."""
        now = timezone.now()
        claimed = StaffInvitation.objects.filter(
            pk=self.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        self.used_at = now
        return claimed == 1


class StaffPreferences(models.Model):
    """How a staff member reads the organisers' pages and the mail sent to them: in which
    language, on which clocks. Blank, or no row at all: the site's (``LANGUAGE_CODE``,
    ``TIME_ZONE``). Supporters never have one: their language is on their own record."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="staff_preferences",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("language and time zone")
        verbose_name_plural = _("languages and time zones")

    def __str__(self) -> str:
        return f"{_('Language and time zone')} #{self.pk}"

    @classmethod
    def keep(cls, user: Any, *, language: str, time_zone: str) -> StaffPreferences:
        """Store ``user``'s choice (blank: the site's)."""
        preferences, _created = cls.objects.update_or_create(
            user=user, defaults={"language": language, "time_zone": time_zone}
        )
        return preferences
