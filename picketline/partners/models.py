"""Partner organisations: who embeds the campaign's actions, links to them, and may hear from the
supporters who agree to it.

A partner names the origins of its sites (``https://www.ituc-csi.org``); only those may frame
its embeds (``frame_ancestors()``, the CSP ``frame-ancestors`` of each embed page). Partner staff
are users with a ``PartnerMembership``: the admin shows them their partner's figures and
contacts only.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from picketline.web.content import PublicContent
from picketline.web.uploads import PictureRefused, check_picture_header

LOGO_MAX_BYTES = 200_000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# A source code on a partner's link ("newsletter", "march-call"): short, plain, never personal.
# Only the codes organisers registered for the partner are kept (``Partner.link_codes``): a code
# per reader of a newsletter would single each of them out.
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")
MAX_LINK_CODES = 50


# Where an action came from, as stored on it: a fixed vocabulary, so that nothing about the
# visitor can ever be written there.
EMBED = "embed"
LINK = "link"
SHARE_CHANNELS = ("bluesky", "x", "facebook", "telegram", "mastodon", "email")


def is_source(value: str) -> bool:
    """Whether ``value`` is a source: "embed", "link", "link:<code>" or "share:<channel>"."""
    kind, colon, rest = value.partition(":")
    if kind == EMBED:
        return not colon
    if kind == LINK:
        return not colon or bool(CODE.match(rest))
    return kind == "share" and rest in SHARE_CHANNELS


def validate_source(value: str) -> None:
    if value and not is_source(value):
        raise ValidationError(_("Not a known source."), code="source")


def origin_of(value: str) -> str:
    """``value`` as an origin (``https://host[:port]``), or ValidationError: what a browser
    compares ``frame-ancestors`` with; no path, no wildcard, no plain HTTP outside loopback."""
    parts = urlsplit(value.strip())
    host = parts.hostname or ""
    loopback = host in ("localhost", "127.0.0.1", "[::1]", "::1")
    if (
        parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not loopback)
        or not host
        or "*" in value
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or not re.fullmatch(r"[a-z0-9.\-\[\]:]+", host)
    ):
        raise ValidationError(
            _("%(value)s is not an origin like https://www.example.org."),
            params={"value": value.strip()[:100]},
            code="origin",
        )
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def validate_origins(value: str) -> None:
    for line in value.splitlines():
        if line.strip():
            origin_of(line)


def validate_link_codes(value: str) -> None:
    codes = value.split()
    if len(codes) > MAX_LINK_CODES:
        raise ValidationError(
            _("At most %(count)d codes."), params={"count": MAX_LINK_CODES}, code="codes"
        )
    for code in codes:
        if not CODE.match(code):
            raise ValidationError(
                _("%(code)s is not a code like newsletter: small letters, digits and dashes."),
                params={"code": code[:30]},
                code="code",
            )


def validate_languages(value: str) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    for code in value.split():
        if code not in known:
            raise ValidationError(
                _("%(code)s is not one of this site's languages."), params={"code": code[:10]}
            )


class PartnerQuerySet(models.QuerySet["Partner"]):
    def active(self) -> PartnerQuerySet:
        return self.filter(active=True)


class Partner(PublicContent):
    """An organisation that takes part in the campaign: its embeds show its logo and name, and
    its consent line lets a supporter agree to hear from it."""

    name = models.CharField(
        pgettext_lazy("name of an organisation", "name"), max_length=200, unique=True
    )
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("In the addresses of its embeds and links, e.g. ituc."),
    )
    website = models.URLField(_("website"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=40,
        blank=True,
        validators=[validate_languages],
        help_text=_("The site's languages it works in, separated by spaces, e.g. en de."),
    )
    contact = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_("Where supporters and organisers reach the partner about data it holds."),
    )
    origins = models.TextField(
        _("origins of its sites"),
        blank=True,
        validators=[validate_origins],
        help_text=_("One per line, e.g. https://www.example.org. Only these may show its embeds."),
    )
    link_codes = models.TextField(
        _("codes of its links"),
        blank=True,
        validators=[validate_link_codes],
        help_text=_(
            "One per line, e.g. newsletter: a code names a campaign or a channel, never a "
            "person. A link with any other code counts as the partner's link without a code."
        ),
    )
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive partner's embeds and links stop.")
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def frame_ancestors(self) -> list[str]:
        """The origins allowed to frame this partner's embeds (none while inactive)."""
        if not self.active:
            return []
        return [origin_of(line) for line in self.origins.splitlines() if line.strip()]

    def registered_source(self, source: str) -> str:
        """``source`` as this partner's link may carry it: "link:<code>" with a code registered
        for it, else "link" (an unknown code is dropped, never stored)."""
        kind, colon, code = source.partition(":")
        if kind == LINK and colon and code in self.link_codes.split():
            return source
        return LINK

    def set_logo(self, data: bytes) -> None:
        """Keep ``data`` as the logo, or PictureRefused: PNG, JPEG or WebP, small."""
        if len(data) > LOGO_MAX_BYTES:
            raise PictureRefused(_("A logo may be at most 200 kB."))
        kind, _width, _height = check_picture_header(data)
        if kind not in LOGO_TYPES:
            raise PictureRefused(_("A logo must be a PNG, JPEG or WebP picture."))
        self.logo, self.logo_type = bytes(data), LOGO_TYPES[kind]

    def logo_version(self) -> str:
        """Changes with the logo, so that its address can be cached for long."""
        return hashlib.sha256(bytes(self.logo)).hexdigest()[:12] if self.logo else ""


class PartnerMembership(models.Model):
    """A staff account that works for a partner: in the admin it sees that partner's figures
    and the supporters who agreed to hear from it, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_membership",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("partner staff account")
        verbose_name_plural = _("partner staff accounts")

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


def partner_of(user: object) -> Partner | None:
    """The partner a staff user works for, or None (an organiser, who sees every partner)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = PartnerMembership.objects.filter(user=user).select_related("partner").first()
    return membership.partner if membership else None
