"""Targets (who receives letters), letter actions (what supporters send), and the letters.

A ``LetterAction`` says who gets the letter (fixed targets, or the targets of one role in the
supporter's country with fallbacks), what it says in each language, how much a supporter may
change, and how it is sent (throttled single letters inside a daily window in the target's time
zone, or one daily digest). A supporter's ``Letter`` becomes one ``Delivery`` per target when it is confirmed;
the scheduler (``picketline.letters.sending``) moves deliveries into the mail outbox.
"""

from __future__ import annotations

import re
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from babel.dates import format_date
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from picketline.campaigns import mentions
from picketline.supporters.models import (
    CONFIRMING_FIELDS,
    EARLIER_FIELDS,
    LINK_PAGE_FIELDS,
    ConfirmableAction,
    Supporter,
    first_earlier,
)
from picketline.web.content import PublicContent, kept_until_edited
from picketline.web.fields import EncryptedTextField
from picketline.web.translated import with_translations

ISO_COUNTRY = re.compile(r"^[A-Z]{2}$")
PLACEHOLDERS = (
    "salutation",
    "name",
    "country",
    "organisation",
    "role",
    "recipient",
    "personal_paragraph",
)


def validate_country(value: str) -> None:
    if not ISO_COUNTRY.match(value):
        raise ValidationError(_("Use a two-letter ISO country code such as DE."))


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from None


class Role(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("head of state")
    GOVERNMENT = "government", _("government")
    FOREIGN_MINISTRY = "foreign_ministry", _("ministry of foreign affairs")
    LABOUR_MINISTRY = "labour_ministry", _("ministry of labour")
    EMBASSY_OF_BELARUS = "embassy_of_belarus", _("embassy of Belarus")
    ILO_GOVERNMENT = "ilo_government", _("ILO government delegate")
    ILO_EMPLOYERS = "ilo_employers", _("ILO employers' delegate")
    ILO_WORKERS = "ilo_workers", _("ILO workers' delegate")
    OTHER = "other", _("other")


class TargetQuerySet(models.QuerySet["Target"]):
    def active(self) -> TargetQuerySet:
        return self.filter(active=True)

    def in_country(self, country: str, roles: list[str]) -> TargetQuerySet:
        return self.active().filter(country=country.upper(), role__in=roles)


class Target(PublicContent):
    """A person or body that receives letters. Official addresses, not personal data."""

    name = models.CharField(_("name"), max_length=200, help_text=_("Person or office."))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[validate_country],
        help_text=_("Two-letter ISO code of the country the target serves in or speaks for."),
    )
    languages = models.CharField(
        _("languages"), max_length=60, blank=True, help_text=_("Language codes, e.g. de,en.")
    )
    postal_address = models.TextField(_("postal address"), blank=True)
    salutation = models.CharField(
        _("salutation"),
        max_length=200,
        blank=True,
        help_text=_(
            "How a letter greets this recipient ({salutation}), e.g. “Dear Ambassador,”. "
            "Empty: a polite greeting in the letter's language."
        ),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=60, default="UTC", validators=[validate_time_zone]
    )
    active = models.BooleanField(_("active"), default=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("Where the facts come from."))
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(
        _("demo entry"), default=False, help_text=_("Invented for the demo: not a real address.")
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["country", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="letters_target_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def language_names(self, language: str) -> str:
        """The languages this recipient reads, named in ``language`` (CLDR): "English, French"."""
        from babel import Locale, UnknownLocaleError

        names = []
        for code in self.language_list():
            try:
                names.append(Locale.parse(code).get_display_name(language) or code)
            except (UnknownLocaleError, ValueError):
                names.append(code)
        return ", ".join(names)

    def deliverable_addresses(self) -> list[str]:
        from picketline.mail.models import AddressHealth

        addresses = [a.email for a in self.addresses.all()]
        bouncing = AddressHealth.objects.bouncing(addresses)
        return [address for address in addresses if address not in bouncing]

    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def greeting(self) -> str:
        """The salutation in the active language (name, organisation, address and salutation
        are translated per language, with the English text as fallback)."""
        return self.salutation or pgettext("letter salutation", "Dear Sir or Madam,")

    def address_lines(self) -> list[str]:
        """Name, organisation and postal address in the active language, as on an envelope."""
        lines = [self.name]
        if self.organisation and self.organisation != self.name:
            lines.append(self.organisation)
        lines += [line.strip() for line in self.postal_address.splitlines() if line.strip()]
        return lines


class TargetAddress(models.Model):
    """One e-mail address of a target. Its delivery health lives in the outbox
    (``picketline.mail.models.AddressHealth``), which counts hard failures for every address."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="addresses")
    email = models.EmailField(_("e-mail address"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "email"], name="letters_address_unique")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def bouncing(self) -> bool:
        from picketline.mail.models import AddressHealth

        return AddressHealth.objects.bouncing([self.email]) != set()


class LetterActionQuerySet(models.QuerySet["LetterAction"]):
    def published(self) -> LetterActionQuerySet:
        return self.filter(published=True)


class LetterAction(PublicContent):
    class Targeting(models.TextChoices):
        FIXED = "fixed", _("the same targets for everyone")
        COUNTRY_ROLE = "country_role", _("targets of the chosen roles in the supporter's country")

    class EditPolicy(models.TextChoices):
        NOTHING = "nothing", _("supporters cannot change the text")
        PARAGRAPH = "paragraph", _("supporters may add a personal paragraph")
        WHOLE = "whole", _("supporters may rewrite the whole text")

    class WhenNoRecipient(models.TextChoices):
        FALLBACK = "fallback", _("the fallback targets receive the letter by e-mail")
        FORWARD = (
            "forward",
            _(
                "the organisers receive the letter by e-mail and forward it (the fallback targets "
                "are the organisers)"
            ),
        )
        POST = (
            "post",
            _(
                "the supporter prints the letter and posts it to the fallback targets' postal "
                "addresses"
            ),
        )

    class SendingPolicy(models.TextChoices):
        INDIVIDUAL = "individual", _("single letters, throttled")
        DIGEST = "digest", _("one daily digest per target")

    slug = models.SlugField(_("address"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    targeting = models.CharField(
        _("targeting"), max_length=20, choices=Targeting.choices, default=Targeting.FIXED
    )
    fixed_targets = models.ManyToManyField(
        Target,
        blank=True,
        related_name="+",
        verbose_name=_("fixed targets"),
        help_text=_("They receive every letter, whatever the supporter's country."),
    )
    roles = models.CharField(
        _("roles in the supporter's country"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated role codes, e.g. embassy_of_belarus."),
    )
    fallback_targets = models.ManyToManyField(
        Target,
        blank=True,
        related_name="+",
        verbose_name=_("fallback targets"),
        help_text=_("Used when the supporter's country has no target of these roles."),
    )
    when_no_recipient = models.CharField(
        _("when a country has no recipient"),
        max_length=20,
        choices=WhenNoRecipient.choices,
        default=WhenNoRecipient.FALLBACK,
        help_text=_("What the page offers a supporter whose country has no target of these roles."),
    )

    edit_policy = models.CharField(
        _("what supporters may change"),
        max_length=20,
        choices=EditPolicy.choices,
        default=EditPolicy.PARAGRAPH,
    )
    sending_policy = models.CharField(
        pgettext_lazy("how letters are sent", "sending"),
        max_length=20,
        choices=SendingPolicy.choices,
        default=SendingPolicy.INDIVIDUAL,
    )
    max_per_hour = models.PositiveIntegerField(
        _("at most per hour and target"), default=20, validators=[MinValueValidator(1)]
    )
    window_start = models.TimeField(_("sending window opens"), default=time(9, 0))
    window_end = models.TimeField(
        _("sending window closes"),
        default=time(17, 0),
        help_text=_("In the target's time zone. Equal times mean all day."),
    )
    offer_copy = models.BooleanField(_("offer a copy to the supporter"), default=True)
    invite_to_hold_actions = models.BooleanField(
        _("invite writers to hold an action too"),
        default=False,
        help_text=_(
            "The page links to proposing an action (outside an embassy, for example), to the "
            "map of actions and to reporting one."
        ),
    )
    paused = models.BooleanField(
        _("paused"), default=False, help_text=_("Nothing is sent while an action is paused.")
    )

    objects = LetterActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter action")
        verbose_name_plural = _("letter actions")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def outbox_group(self) -> str:
        return f"letters:{self.pk}"

    def role_list(self) -> list[str]:
        return [code.strip() for code in self.roles.split(",") if code.strip()]

    def clean(self) -> None:
        unknown = set(self.role_list()) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": _("Unknown roles: %s") % ", ".join(sorted(unknown))})
        if self.targeting == self.Targeting.COUNTRY_ROLE and not self.role_list():
            raise ValidationError({"roles": _("Name at least one role.")})

    @classmethod
    def published_for_form(cls, slug: str) -> LetterAction:
        """The published action with its texts, as its form needs them on every request
        (``kept_until_edited``). DoesNotExist when no such action is published."""
        return kept_until_edited(
            f"letters:action:{slug}",
            lambda: cls.objects.published().prefetch_related("texts").get(slug=slug),
        )

    def targets_for(self, country: str) -> list[Target]:
        """Exactly the targets a supporter from ``country`` writes to: looked up once per
        instance, and kept in the cache as the action is (``published_for_form``)."""
        found = self.__dict__.setdefault("targets_by_country", {})
        if country not in found:
            if not ISO_COUNTRY.fullmatch(country or "XX"):  # "" is fine, any other text not
                return self._find_targets(country)
            found[country] = kept_until_edited(
                f"letters:targets:{self.pk}:{country}", lambda: self._find_targets(country)
            )
        return found[country]

    def _find_targets(self, country: str) -> list[Target]:
        if self.targeting == self.Targeting.FIXED:
            found = list(self.fixed_targets.active().prefetch_related("addresses"))
            return [target for target in found if target.deliverable_addresses()]
        found = self.own_targets(country)
        if not found and self.when_no_recipient != self.WhenNoRecipient.POST:
            found = list(self.fallback_targets.active().prefetch_related("addresses"))
        # Fixed targets receive every letter, whatever the supporter's country.
        found += [
            target
            for target in self.fixed_targets.active().prefetch_related("addresses")
            if target not in found
        ]
        return [target for target in found if target.deliverable_addresses()]

    def own_targets(self, country: str) -> list[Target]:
        """The targets of the action's roles in ``country`` that can be written to."""
        found = Target.objects.in_country(country or "", self.role_list())
        return [
            target
            for target in found.prefetch_related("addresses")
            if target.deliverable_addresses()
        ]

    def no_recipient_in(self, country: str) -> bool:
        """Does a supporter from ``country`` meet what the organisers set for a country
        without a recipient of its own (``when_no_recipient``)?"""
        if self.targeting == self.Targeting.FIXED or not country:
            return False
        return not self.own_targets(country)

    def postal_targets_for(self, country: str) -> list[Target]:
        """Whom a supporter from ``country`` posts the letter to, printed: the fallback
        targets with a postal address, when the organisers chose post for such countries."""
        if self.when_no_recipient != self.WhenNoRecipient.POST or not self.no_recipient_in(country):
            return []
        return [target for target in self.fallback_targets.active() if target.postal_address]

    def editable_text(self, language: str) -> str:
        """The campaign's letter as the whole-letter field offers it (``EditPolicy.WHOLE``), in
        ``language`` or the text that stands in for it: people of the register named as the
        letter names them today, and the placeholders as bracketed words, which are filled in
        for each recipient and from the form (the greeting differs per recipient)."""
        text = self.text_for(language)
        if text is None:
            return ""
        with translation.override(text.language):
            expanded = mentions.expand(text.body, text.language)
            return readable_text(expanded, {"personal_paragraph": ""})

    def keeps_campaign_text(self, body: str) -> bool:
        """Is ``body`` (placeholders restored) the campaign's own letter, unchanged, in any of
        its languages? Then the writer typed nothing of their own."""
        if not body.strip():
            return True
        for text in self.texts.all():
            offered = placeholders_from_words(self.editable_text(text.language))
            as_written = fill_lines(text.body, {"personal_paragraph": ""})
            if same_text(body, offered) or same_text(body, as_written):
                return True
        return False

    def text_for(self, language: str) -> LetterText | None:
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)

    @property
    def sends_digests(self) -> bool:
        return self.sending_policy == self.SendingPolicy.DIGEST

    def pause_notice(self) -> str:
        """What a pause means for letters, in the active language; empty when not paused."""
        if not self.paused:
            return ""
        # Not "none goes out": a batch a worker has claimed already still goes
        # (``mail.outbox.hold_group``).
        return gettext(
            "Sending is paused for the moment: letters not already on their way wait until "
            "the organisers resume sending."
        )

    def sending_rule(self) -> str:
        """How each recipient gets this action's letters, in the active language: the rule the
        scheduler keeps (``letters.sending``), after a breakdown of the mail server too (what
        could not go is planned again by the same rule). Never a duration, since how long a
        letter waits depends on how many wait before it. The window is said with its hours, not
        as "office hours": it holds every day of the week, and organisers may set any hours."""
        hours = {
            "start": formats.time_format(self.window_start, "H:i"),
            "end": formats.time_format(self.window_end, "H:i"),
        }
        all_day = self.window_start == self.window_end
        if self.sends_digests and all_day:
            return gettext(
                "Each recipient gets these letters gathered in one message a day, which names "
                "everyone who signed since the one before."
            )
        if self.sends_digests:
            return (
                gettext(
                    "Each recipient gets these letters gathered in one message a day, sent between "
                    "%(start)s and %(end)s in the recipient's own time zone, which names everyone "
                    "who signed since the one before."
                )
                % hours
            )
        count = self.max_per_hour
        if all_day:
            return ngettext(
                "Each recipient gets these letters one at a time, at most %(count)s letter an "
                "hour, at any time of day, so a letter may wait for its turn.",
                "Each recipient gets these letters one at a time, at most %(count)s letters an "
                "hour, at any time of day, so a letter may wait for its turn.",
                count,
            ) % {"count": count}
        return ngettext(
            "Each recipient gets these letters one at a time, at most %(count)s letter an hour, "
            "and only between %(start)s and %(end)s in the recipient's own time zone, so a "
            "letter may wait for its turn.",
            "Each recipient gets these letters one at a time, at most %(count)s letters an hour, "
            "and only between %(start)s and %(end)s in the recipient's own time zone, so a "
            "letter may wait for its turn.",
            count,
        ) % {"count": count, **hours}

    def when_letters_go(self) -> str:
        """Everything a supporter is told about when letters go, from the action's state now:
        the copy, the page after confirming and the letter's page say this and nothing else."""
        return " ".join(part for part in (self.pause_notice(), self.sending_rule()) if part)

    def pause(self) -> int:
        """Stop sending at once; returns how many queued messages were taken back."""
        from picketline.letters import sending

        return sending.pause(self)

    def resume(self) -> None:
        from picketline.letters import sending

        sending.resume(self)


class LetterText(PublicContent):
    """The letter of one action in one language."""

    action = models.ForeignKey(
        LetterAction, on_delete=models.CASCADE, related_name="texts", verbose_name=_("action")
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {salutation}, {name}, {country}, {organisation}, {role}, "
            "{recipient}, {personal_paragraph}."
        ),
    )

    class Meta:
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        ordering = ["action", "language"]
        constraints = [
            models.UniqueConstraint(fields=["action", "language"], name="letters_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action} [{self.language}]"

    def clean(self) -> None:
        for field in ("subject", "body"):
            unknown = set(re.findall(r"\{(\w+)\}", getattr(self, field))) - set(PLACEHOLDERS)
            if unknown:
                raise ValidationError(
                    {field: _("Unknown placeholders: %s") % ", ".join(sorted(unknown))}
                )


@dataclass(frozen=True)
class ComposedLetter:
    """One letter to one recipient, every part in ``language``."""

    language: str
    recipient: list[str]
    sender: list[str]
    date: str
    subject: str
    body: str


def placeholder_words() -> dict[str, str]:
    """The placeholders as a reader sees them before they are filled, in the active language."""
    return {
        "salutation": gettext("[greeting]"),
        "recipient": gettext("[recipient]"),
        "country": gettext("[your country]"),
        "name": gettext("[your name]"),
        "organisation": gettext("[your organisation]"),
        "role": gettext("[your role]"),
        "personal_paragraph": gettext("[your own paragraph]"),
    }


def readable_text(template: str, known: dict[str, str]) -> str:
    """A letter's text for the page: the values already known filled in, the others as words
    in square brackets (never a raw ``{recipient}``)."""
    return fill_lines(template, {**placeholder_words(), **known})


# Bracketed words an earlier release showed for a placeholder, so that a form opened before an
# upgrade and sent after it still names each recipient (Russian "[recipient]" was "[получатель]").
EARLIER_WORDS = {"[получатель]": "recipient"}


def placeholders_from_words(text: str) -> str:
    """The supporter's own text with the bracketed words of ``readable_text`` turned back into
    placeholders, so that each recipient is named and greeted in their own letter. The words
    of every language count: the text offered may be in another than the page's."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words = placeholder_words()
        for name, word in words.items():
            text = text.replace(word, "{" + name + "}")
    for word, name in EARLIER_WORDS.items():
        text = text.replace(word, "{" + name + "}")
    return text


def same_text(one: str, other: str) -> bool:
    """Do two letter texts say the same, line ends and trailing spaces aside (a browser sends
    a textarea back with CRLF)?"""

    def plain(text: str) -> str:
        lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    return plain(one) == plain(other)


def fill_lines(template: str, values: dict[str, str]) -> str:
    """Fill a letter body; a line that held only placeholders which came out empty (an
    organisation nobody gave) disappears, and so do the blank lines it leaves."""
    lines = []
    for line in template.splitlines():
        filled = fill_placeholders(line, values)
        if "{" in line and not filled.strip(" ,;:-"):
            continue
        lines.append(filled)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def fill_placeholders(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}``-style placeholders; unknown ones and stray braces stay as written."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


# The permission to read letters with their writers' names (the PDFs); ``view_letter`` is not it.
READ_WITH_WRITERS = "letters.read_letters_with_writers"


class Letter(ConfirmableAction):
    """One supporter's letter in one action. Confirmed, it becomes one delivery per target,
    written by the worker (``sending.write_confirmed_letters``), not by the confirming
    request."""

    # Indexed by Meta's (action, confirmed_at), which also serves lookups by action alone.
    action = models.ForeignKey(
        LetterAction,
        on_delete=models.PROTECT,
        related_name="letters",
        db_index=False,
        verbose_name=_("action"),
    )
    country = EncryptedTextField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code: picks the recipients.")
    )
    organisation = EncryptedTextField(_("union or organisation"), blank=True)
    role = EncryptedTextField(_("role"), blank=True)
    personal_paragraph = EncryptedTextField(_("personal paragraph"), blank=True)
    body = EncryptedTextField(_("own text"), blank=True)
    send_copy = models.BooleanField(_("copy to the supporter"), default=False)
    # When its writer was asked whether a recipient replied (``letters.replies``): once.
    reply_asked_at = models.DateTimeField(_("asked about a reply"), null=True, blank=True)
    # When the worker wrote its deliveries and the writer's copy, after it was confirmed
    # (``sending.write_confirmed_letters``); empty while that waits.
    deliveries_written_at = models.DateTimeField(null=True, blank=True, editable=False)

    counted_by = "action"
    shown_with_link = ("action",)
    loaded_to_confirm = ("supporter", "action")
    # The page's summary names the action and the recipients for the letter's country (found
    # from the action's settings when the kept list has expired); the page after confirming
    # is the action's, by its slug.
    fields_shown_with_link = (
        *LINK_PAGE_FIELDS,
        "country",
        "action",
        *with_translations("action__title"),
        "action__targeting",
        "action__roles",
        "action__when_no_recipient",
    )
    fields_loaded_to_confirm = (*CONFIRMING_FIELDS, "country", "action", "action__slug")

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["action", "confirmed_at"]),
            # The confirmed letters whose deliveries the worker has still to write.
            models.Index(
                fields=["confirmed_at"],
                name="letters_letter_to_write",
                condition=models.Q(confirmed_at__isnull=False, deliveries_written_at__isnull=True),
            ),
        ]
        # ``view_letter`` shows when and where a letter went; reading it, with its writer's
        # name and words, is this permission (the PDFs).
        permissions = [
            ("read_letters_with_writers", _("Can read letters with their writers' names")),
        ]

    # Labels of the privacy page for what ``personal_data()`` holds besides fields.
    personal_data_labels = {
        "action": _("letter action"),
        "own_text": _("your own text of the letter"),
        "recipients": _("recipients"),
        "reply": _("reply to your letter"),
        "reply_text": _("what you wrote about the reply"),
    }

    def __str__(self) -> str:
        return f"{_('Letter')} #{self.pk}"

    def targets(self) -> list[Target]:
        """The recipients for this letter's country (looked up once per instance)."""
        if getattr(self, "_targets", None) is None:
            self._targets = self.action.targets_for(self.country)
        return self._targets

    @classmethod
    def for_confirmation_mails(cls, pks: list[int]) -> dict[int, Letter]:
        # A batch of confirmations is about a few actions: each is read once, with its texts,
        # and its recipients are looked up once per country.
        letters = super().for_confirmation_mails(pks)
        actions = LetterAction.objects.prefetch_related("texts").in_bulk(
            {letter.action_id for letter in letters.values()}
        )
        for letter in letters.values():
            letter.action = actions[letter.action_id]
        return letters

    def confirmation_subject(self) -> str:
        names = ", ".join(target.name for target in self.targets())
        return _("Your letter “%(title)s” to %(recipients)s") % {
            "title": self.action.title,
            "recipients": names,
        }

    def compose(self, target: Target | None, when: datetime | None = None) -> ComposedLetter:
        """The letter as ``target`` receives it, written whole in the letter's language: the
        one text shown in the preview, sent by mail, printed in the supporter's PDF and in the
        organisers' bundle. Country names come from CLDR, the recipient's name, salutation and
        address from its translation in that language, the date is written for it."""
        text = self.action.text_for(self.language)
        language = text.language if text else self.language
        with translation.override(language):
            subject = text.subject if text else self.action.title
            if self.action.edit_policy == LetterAction.EditPolicy.WHOLE and self.body:
                body = self.body
            else:
                body = text.body if text else ""
            values = self.placeholder_values(target, language)
            if (
                values["personal_paragraph"]
                and "{personal_paragraph}" not in body
                and self.action.edit_policy == LetterAction.EditPolicy.PARAGRAPH
            ):
                # A text without the placeholder still carries the paragraph, before the closing.
                head, sep, closing = body.rstrip().rpartition("\n\n")
                body = (
                    f"{head}\n\n{{personal_paragraph}}\n\n{closing}"
                    if sep
                    else body + "\n\n{personal_paragraph}"
                )
            moment = when or self.confirmed_at or self.created_at or timezone.now()
            return ComposedLetter(
                language=language,
                recipient=target.address_lines() if target else [],
                sender=self.sender_lines(language),
                date=format_date(timezone.localdate(moment), format="long", locale=language),
                # What the letter says of a person in the register is what it says today.
                subject=mentions.expand(fill_placeholders(subject, values), language),
                body=mentions.expand(fill_lines(body, values), language),
            )

    def after_confirming_url(self, newly: bool) -> str:
        # The action only: the country would be a personal field in an address that the
        # access log keeps beside the time of confirming.
        name = "letters:confirmed" if newly else "letters:already_confirmed"
        return reverse(name, kwargs={"slug": self.action.slug})

    repeated_when_same = ("action",)  # one letter per person and action

    def earlier_of_same(self, supporter: Supporter) -> Letter | None:
        """One letter per person and action: their other letter in this action, if any, with
        what ``flow.tell_done_already`` reads of it (not its text)."""
        earlier = first_earlier(
            Letter,
            EARLIER_FIELDS,
            {"supporter": supporter.pk, "action": self.action_id},
            other_than=self.pk,
            confirmed_first=True,
        )
        if earlier is not None:
            earlier.supporter = supporter
        return earlier

    def countries_given(self) -> list[str]:
        return [*super().countries_given(), self.country]

    def placeholder_values(self, target: Target | None, language: str) -> dict[str, str]:
        from picketline.letters.countries import country_name

        supporter = self.supporter
        return {
            "salutation": target.greeting() if target else "",
            "name": supporter.name if supporter else "",
            "country": country_name(self.country, language) if self.country else "",
            "organisation": self.organisation,
            "role": self.role,
            "recipient": target.name if target else "",
            "personal_paragraph": self.personal_paragraph
            if self.action.edit_policy == LetterAction.EditPolicy.PARAGRAPH
            else "",
        }

    def sender_lines(self, language: str) -> list[str]:
        from picketline.letters.countries import country_name

        lines = (
            self.supporter.name if self.supporter else "",
            ", ".join(x for x in (self.role, self.organisation) if x),
            country_name(self.country, language) if self.country else "",
        )
        return [line for line in lines if line]

    def personal_data(self) -> dict[str, object]:
        reply = Reply.objects.filter(letter=self).first()
        return {
            "action": self.action.title,
            "country": self.country,
            "organisation": self.organisation,
            "role": self.role,
            "personal_paragraph": self.personal_paragraph,
            "own_text": self.own_text(),
            "created_at": self.created_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "recipients": self.recipient_names(),
            # The writer's answer about a reply, if they gave one.
            "reply": str(reply.get_answer_display()) if reply else "",
            "reply_text": reply.text if reply else "",
        }

    def own_text(self) -> str:
        """What the writer wrote in place of the campaign's letter, as they saw it (bracketed
        words for what each recipient's letter fills in); empty when they kept the campaign's
        text, which is then the letter they sent."""
        if self.action.keeps_campaign_text(self.body):
            return ""
        with translation.override(self.language):
            return readable_text(self.body, {}).strip()

    def recipient_names(self) -> list[str]:
        """Whom the letter went or goes to: its deliveries, or, confirmed a moment ago and
        waiting for the worker to write them, the recipients its page and mail named (none
        when the worker will write it to nobody)."""
        if self.confirmed_at is not None and self.deliveries_written_at is None:
            from picketline.letters import sending

            return [target.name for target in self.targets()] if sending.goes_out(self) else []
        return [d.target.name for d in self.deliveries.select_related("target")]

    def erase_personal_data(self) -> None:
        from picketline.letters import sending

        sending.erase_from_outbox(self)
        self.organisation = self.role = self.personal_paragraph = self.body = ""
        self.save(update_fields=["organisation", "role", "personal_paragraph", "body"])
        # The answer about a reply still counts; the writer's words about it go.
        for reply in Reply.objects.filter(letter=self):
            reply.text = ""
            reply.save(update_fields=["text"])
        if self.supporter is not None:
            Reply.take_out_of_recorded(self.action, self.supporter.name, self.supporter.email)


class Delivery(models.Model):
    """One confirmed letter to one target: the row that makes "never twice" a constraint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for its turn")
        QUEUED = "queued", _("in the outbox")
        DIGESTED = "digested", _("in a daily digest")
        CANCELLED = "cancelled", _("cancelled")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    action = models.ForeignKey(
        LetterAction, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("action")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("recipient")
    )
    supporter = models.ForeignKey(
        "supporters.Supporter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    scheduled_for = models.DateTimeField(_("to go at"), null=True, blank=True)
    message = models.ForeignKey(
        "mail.OutgoingMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supporter", "action", "target"], name="letters_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["action", "target", "status"]),
            models.Index(fields=["status", "action"]),
        ]

    def __str__(self) -> str:
        return f"{self.letter} → {self.target}"


class Digest(models.Model):
    """The one digest of an action to a target on one day (in the target's time zone)."""

    action = models.ForeignKey(LetterAction, on_delete=models.PROTECT, related_name="digests")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="digests")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    letters = models.PositiveIntegerField(default=0)
    message = models.ForeignKey(
        "mail.OutgoingMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [
            models.UniqueConstraint(fields=["action", "target", "day"], name="letters_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.target} {self.day}"


class AnonymousSupport(models.Model):
    """How many people counted their support for an action without a letter in their name
    (those in a country marked as dangerous): one number per action and nothing else, no
    name, no address, no time, nothing of the client."""

    action = models.OneToOneField(
        LetterAction, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("anonymous support")
        verbose_name_plural = _("anonymous support")

    def __str__(self) -> str:
        return f"{self.action}: {self.count}"

    @classmethod
    def add_one(cls, action: LetterAction) -> None:
        cls.objects.get_or_create(action=action)
        cls.objects.filter(action=action).update(count=models.F("count") + 1)

    @classmethod
    def count_for(cls, action: LetterAction) -> int:
        return cls.objects.filter(action=action).values_list("count", flat=True).first() or 0


# The folder of replies' documents in the private storage.
REPLY_DOCUMENTS = "originals/replies"


def private_files():
    """Where a reply's document is kept: the private storage, never served to the public."""
    return storages["private"]


class ReplyQuerySet(models.QuerySet["Reply"]):
    def received(self) -> ReplyQuerySet:
        """Replies that came: every one an organiser recorded, and every writer's "yes"."""
        return self.filter(answer=Reply.Answer.YES)


# What stands, in a reply organisers recorded, where an erased writer's name or address was.
ERASED = "[…]"
# Parts of a name shorter than this ("de", "da") are left in replies: they would take out
# words that are no one's name.
NAME_PART_LENGTH = 3


def _written_as_a_name(name: str) -> set[str]:
    """The parts of ``name`` an erased writer's replies lose on their own, as a name is written
    (as typed and in capitals; capitalised and in capitals when typed all in one case), so
    that the word a part also is ("will") stays where it is not a name. Not the lower-case
    part of a name that has capitals (a particle: "van der"), nor a part shorter than
    ``NAME_PART_LENGTH`` unless it is the whole name; the punctuation around a part
    ("Quillfeather, Zofia") is not part of it."""
    parts = [re.sub(r"^\W+|\W+$", "", part) for part in name.split()]
    one_case = name in (name.lower(), name.upper())
    forms: set[str] = set()
    for part in parts:
        if not part or (len(parts) > 1 and len(part) < NAME_PART_LENGTH):
            continue
        if one_case:
            forms |= {part.capitalize(), part.upper()}
        elif not part.islower():
            forms |= {part, part.upper()}
    return forms


class Reply(models.Model):
    """A recipient's reply to an action's letters: recorded by an organiser (with the date, the
    text and the document if there is one), or a letter's writer answering whether they got
    one (``letters.replies``). Both may name the writer, and the writer's text is their own
    words: only organisers see replies (``roles.WRITTEN_BY_SUPPORTERS``)."""

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("recorded by an organiser")
        SUPPORTER = "supporter", _("answered by the letter's writer")

    class Answer(models.TextChoices):
        YES = "yes", _("a reply came")
        NO = "no", _("no reply")

    action = models.ForeignKey(
        LetterAction, on_delete=models.PROTECT, related_name="replies", verbose_name=_("action")
    )
    target = models.ForeignKey(
        Target,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        verbose_name=_("recipient who replied"),
    )
    letter = models.OneToOneField(
        Letter,
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply",
        editable=False,
    )
    source = models.CharField(
        _("recorded by whom"),
        max_length=10,
        choices=Source.choices,
        default=Source.ORGANISER,
        editable=False,
    )
    answer = models.CharField(
        _("answer"), max_length=3, choices=Answer.choices, default=Answer.YES, editable=False
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    text = EncryptedTextField(_("text"), blank=True)
    # The name of the document in the private storage (``private_files()``), if any.
    document = models.CharField(_("document"), max_length=300, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action", "answer"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_answer_display()}"

    def keep_document(self, upload, extension: str) -> None:
        """Store an uploaded document under a random name in the private storage, in place of
        the one it had (a reply names the letters' writers: nothing of it stays behind)."""
        earlier = self.document
        name = f"{REPLY_DOCUMENTS}/{secrets.token_urlsafe(18)}.{extension}"
        self.document = private_files().save(name, upload)
        if earlier:
            private_files().delete(earlier)

    @classmethod
    def take_out_of_recorded(cls, action: LetterAction, name: str, email: str) -> int:
        """Replace, in the text of every reply organisers recorded for ``action``, an erased
        writer's address, their name and each part of it (a reply may say "Dear Ms Schmidt")
        with ``ERASED``; returns how many replies changed. Only as written: another form of a
        name (a Russian case ending) or the reply's document stays as it is, and the
        admin's form tells organisers so."""
        # The address, and a name of several parts whole, in any capitals; each part of the
        # name only as a name is written (``_written_as_a_name``).
        whole = " ".join(name.split())
        words = {word: True for word in (email.strip(), whole if " " in whole else "") if word}
        words.update({form: False for form in _written_as_a_name(name) if form not in words})
        if not words:
            return 0
        pattern = re.compile(
            "|".join(
                rf"(?<!\w)(?i:{re.escape(word)})(?!\w)"
                if any_case
                else rf"(?<!\w){re.escape(word)}(?!\w)"
                for word, any_case in sorted(words.items(), key=lambda item: -len(item[0]))
            )
        )
        changed = 0
        recorded = cls.objects.filter(action=action, source=cls.Source.ORGANISER).exclude(text="")
        for reply in recorded:
            text = pattern.sub(ERASED, reply.text)
            if text != reply.text:
                reply.text = text
                reply.save(update_fields=["text"])
                changed += 1
        return changed

    @classmethod
    def documents_referenced(cls) -> Iterable[str]:
        """Names of the documents replies keep (``web.orphans`` sweeps the others)."""
        return cls.objects.exclude(document="").values_list("document", flat=True)

    def delete(self, *args, **kwargs):
        """The reply and its document: the file is not left in the private storage."""
        document = self.document
        deleted = super().delete(*args, **kwargs)
        if document:
            private_files().delete(document)
        return deleted
