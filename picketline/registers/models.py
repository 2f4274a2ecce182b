"""The prisoner register and the company register.

Every fact shown here comes from a published source and names it (``Source``: link and date).
Facts the sources disagree on are marked disputed. A person's status is what was *last reported*,
with the date of that report: the register never presents an old report as the present.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from picketline.registers import search
from picketline.web.content import PublicContent
from picketline.web.moments import month_text

URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:/|$)")


class Source(PublicContent):
    """A published report a fact comes from."""

    url = models.URLField(_("link"), max_length=600, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    published_on = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The date of the report; leave empty when the source does not give one."),
    )

    class Meta:
        ordering = ["url"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def site(self) -> str:
        host = re.sub(r"^https?://", "", self.url).split("/", 1)[0]
        return host.removeprefix("www.")

    @staticmethod
    def date_in_url(url: str) -> date | None:
        """Many news sites put the publication date in the address (``/2025/12/15/``)."""
        match = URL_DATE.search(url)
        if not match:
            return None
        year, month, day = match.groups()
        return date(int(year), int(month), int(day or 1)) if day else None

    @classmethod
    def for_url(cls, url: str) -> Source:
        source, _created = cls.objects.get_or_create(
            url=url, defaults={"published_on": cls.date_in_url(url)}
        )
        return source


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def format_partial_date(value: date | None, precision: str) -> str:
    """A date known to the day, month or year, in the active language: "28 мая 2024 г.",
    "июль 2024 г.", "2024"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return month_text(value)
    return formats.date_format(value, "DATE_FORMAT")


def iso_partial_date(value: date | None, precision: str) -> str:
    """The same, for machines (``<time datetime>``, exports): "2024-05-28", "2024-07", "2024"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()


class Status(models.TextChoices):
    IN_CUSTODY = "in_custody", _("in custody")
    RELEASED = "released", _("released")
    EXILED = "exiled", _("released and expelled")
    UNKNOWN = "unknown", _("not known")


def _newest(dates: dict[str, date | None]) -> date | None:
    found = [day for day in dates.values() if day is not None]
    return max(found) if found else None


class Union(PublicContent):
    """A trade union or workers' group people in the register belong to: one record, however
    the sources write it (the details a source adds go in the person's ``union_note``)."""

    key = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("Used by imports."))
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    name = models.CharField(pgettext_lazy("name of an organisation", "name"), max_length=300)

    class Meta:
        ordering = ["abbreviation", "name"]
        verbose_name = _("union or group")
        verbose_name_plural = _("unions and groups")

    def __str__(self) -> str:
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.abbreviation} — {self.name}"
        return self.name


class PersonQuerySet(models.QuerySet):
    def published(self) -> PersonQuerySet:
        return self.filter(is_published=True)

    def newest_fact(self) -> date | None:
        """The date of the newest fact these records hold (a status report, a detention, a
        release, a step of a case, a source): how up to date the register is, whenever it was
        last loaded."""
        return _newest(
            self.aggregate(
                status=models.Max("status_reported_on"),
                detained=models.Max("detained_on"),
                released=models.Max("released_on"),
                event=models.Max("events__happened_on"),
                source=models.Max("sources__published_on"),
            )
        )

    def in_custody(self) -> PersonQuerySet:
        """Published people whose last reported status is: in custody."""
        return self.published().filter(status=Status.IN_CUSTODY)

    def search(self, query: str) -> PersonQuerySet:
        """People any of whose spellings contain every word of ``query`` at a word's start."""
        found = self
        for word, skeleton in search.query_terms(query):
            condition = models.Q(search_text__contains=f" {word}")
            if len(skeleton) >= 2:
                condition |= models.Q(search_text__contains=f" {skeleton}")
            found = found.filter(condition)
        return found


class Person(PublicContent):
    class PhotoBasis(models.TextChoices):
        NONE = "", _("no photo may be shown")
        PERMISSION = "permission", _("permission recorded")
        PUBLIC_SOURCE = "public_source", _("published by a public source")

    ref = models.SlugField(
        _("reference"), max_length=40, unique=True, help_text=_("Stable key used by imports.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_published = models.BooleanField(_("published"), default=True)
    name = models.CharField(_("name (Latin)"), max_length=200)
    name_belarusian = models.CharField(_("name in Belarusian"), max_length=200, blank=True)
    name_russian = models.CharField(_("name in Russian"), max_length=200, blank=True)
    other_spellings = models.JSONField(_("other spellings"), default=list, blank=True)
    union = models.ForeignKey(
        Union,
        verbose_name=_("union or group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    union_note = models.CharField(
        _("about the union"),
        max_length=300,
        blank=True,
        help_text=_("What the sources add, e.g. the primary organisation or the town."),
    )
    role = models.TextField(_("role"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(
        _("last reported status"), max_length=20, choices=Status, default=Status.UNKNOWN
    )
    status_reported_on = models.DateField(
        _("status reported on"),
        null=True,
        blank=True,
        help_text=_("The date of the report the status comes from."),
    )
    status_precision = models.CharField(
        _("precision of that date"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    status_text = models.TextField(_("status as reported"), blank=True)
    status_sources = models.ManyToManyField(
        Source, blank=True, related_name="+", verbose_name=_("sources of the status")
    )
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    detained_precision = models.CharField(
        _("precision of that date"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    disputed = models.JSONField(
        _("disputed or uncertain"),
        default=list,
        blank=True,
        help_text=_("What the sources disagree on, one statement per entry."),
    )
    photo = models.ImageField(_("photo"), upload_to="registers/people/", blank=True)
    photo_basis = models.CharField(
        _("why the photo may be shown"), max_length=20, choices=PhotoBasis, blank=True
    )
    photo_source = models.URLField(_("photo source or permission record"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.photo and not self.photo_basis:
            raise ValidationError(
                {
                    "photo_basis": _(
                        "A photo is shown only with a recorded permission or a public source."
                    )
                }
            )
        if self.photo and not self.photo_source:
            raise ValidationError({"photo_source": _("Link the permission record or the source.")})

    def save(self, *args, **kwargs) -> None:
        self.search_text = search.search_text(*self.all_names())
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registers:person", args=[self.slug])

    def all_names(self) -> list[str]:
        names = [self.name, self.name_belarusian, self.name_russian, *self.other_spellings]
        return [n for n in names if n]

    def local_name(self, language: str | None = None) -> str:
        """The name as the reader's language writes it: in Cyrillic for Belarusian and Russian
        where the register has that spelling, else the Latin one."""
        language = (language or get_language() or "en")[:2]
        return {"be": self.name_belarusian, "ru": self.name_russian}.get(language) or self.name

    def names_beside_local(self) -> list[tuple[str, str]]:
        """(language tag, name) of the register's other spellings of the name in the Latin,
        Belarusian and Russian alphabets, for the line under the reader's own."""
        local = self.local_name()
        spellings = [
            ("be-Latn", self.name),
            ("be", self.name_belarusian),
            ("ru", self.name_russian),
        ]
        return [(tag, name) for tag, name in spellings if name and name != local]

    def shows_photo(self) -> bool:
        return bool(self.photo and self.photo_basis and self.photo_source)

    def union_display(self) -> str:
        """The union in the reader's language, with what the sources add."""
        if self.union is None:
            return self.union_note
        return f"{self.union} ({self.union_note})" if self.union_note else str(self.union)

    def status_date_display(self) -> str:
        return format_partial_date(self.status_reported_on, self.status_precision)

    def status_date_iso(self) -> str:
        return iso_partial_date(self.status_reported_on, self.status_precision)

    def detained_display(self) -> str:
        return format_partial_date(self.detained_on, self.detained_precision)

    def days_in_custody(self, today: date | None = None) -> int | None:
        """Days from detention to release; if not reported released, to ``today``.

        For someone last reported in custody this counts on from the last report: the count is
        what it would be if they are still held, and the page says so beside the report's date.
        """
        if self.detained_on is None:
            return None
        if self.released_on:
            end = self.released_on
        elif self.status == Status.IN_CUSTODY:
            end = today or timezone.localdate()
        else:
            return None
        return max(0, (end - self.detained_on).days)


class CaseEvent(PublicContent):
    class Kind(models.TextChoices):
        DETENTION = "detention", _("detention")
        CHARGE = "charge", _("charges")
        COURT = "court", _("court")
        VERDICT = "verdict", _("verdict")
        SENTENCE = "sentence", _("sentence")
        APPEAL = "appeal", _("appeal")
        PLACE = "place", _("place of detention")
        TRANSFER = "transfer", _("transfer")
        LISTING = "listing", _("listed as 'extremist' or 'terrorist'")
        RELEASE = "release", _("release")
        EXILE = "exile", _("exile")
        STATUS = "status", _("status report")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    happened_on = models.DateField(_("date"), null=True, blank=True)
    precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    text = models.TextField(_("what happened"))
    articles = models.JSONField(
        _("criminal code articles"),
        default=list,
        blank=True,
        help_text=_('e.g. ["342-1", "361-3"]'),
    )
    disputed = models.BooleanField(_("disputed"), default=False)
    disputed_note = models.TextField(_("what is disputed"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["person", "position", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    def date_display(self) -> str:
        return format_partial_date(self.happened_on, self.precision)

    def date_iso(self) -> str:
        return iso_partial_date(self.happened_on, self.precision)


class WritingGuidance(PublicContent):
    """Advice on writing to prisoners safely; organisers write and translate it."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("guidance on writing to prisoners")
        verbose_name_plural = _("guidance on writing to prisoners")

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.body) if p.strip()]


class Procedure(PublicContent):
    """An international procedure about Belarus: the 2004 Commission of Inquiry, the 2023
    Article 33 resolution. Facts from sources; the summary is written by the organisers."""

    key = models.SlugField(_("key"), unique=True)
    title = models.CharField(
        pgettext_lazy("the name of a thing, not a heading", "title"), max_length=300
    )
    body_name = models.CharField(_("body"), max_length=300, blank=True)
    decided_on = models.DateField(_("date"), null=True, blank=True)
    date_disputed = models.BooleanField(_("date disputed"), default=False)
    date_note = models.TextField(_("about the date"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    facts = models.JSONField(_("facts"), default=list, blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("international procedure")
        verbose_name_plural = _("international procedures")

    def __str__(self) -> str:
        return self.title


class SanctionsStatus(models.TextChoices):
    SANCTIONED = "sanctioned", _("under sanctions")
    PARTLY_LIFTED = "partly_lifted", _("sanctions partly lifted")
    NONE_KNOWN = "none_known", _("no sanctions known to us")


class CompanyQuerySet(models.QuerySet):
    def published(self) -> CompanyQuerySet:
        return self.filter(is_published=True)

    def newest_fact(self) -> date | None:
        """The date of the newest fact these records hold (a labour concern, a source)."""
        return _newest(
            self.aggregate(
                concern=models.Max("concerns__reported_on"),
                source=models.Max("sources__published_on"),
            )
        )

    def search(self, query: str) -> CompanyQuerySet:
        found = self
        for word, skeleton in search.query_terms(query):
            condition = models.Q(search_text__contains=f" {word}")
            if len(skeleton) >= 2:
                condition |= models.Q(search_text__contains=f" {skeleton}")
            found = found.filter(condition)
        return found


class Company(PublicContent):
    ref = models.SlugField(_("reference"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_published = models.BooleanField(_("published"), default=True)
    name = models.CharField(_("name (Latin)"), max_length=300)
    name_cyrillic = models.CharField(_("name in Cyrillic"), max_length=300, blank=True)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    ownership = models.CharField(_("ownership"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sanctions_status = models.CharField(
        _("sanctions"), max_length=20, choices=SanctionsStatus, default=SanctionsStatus.NONE_KNOWN
    )
    sanctions_note = models.TextField(_("sanctions as reported"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Found by its name in any language the register writes it in.
        names = {getattr(self, f"name_{code}", None) or "" for code, _name in settings.LANGUAGES}
        self.search_text = search.search_text(
            self.name, *sorted(names), self.name_cyrillic, self.sector, self.city, *self.other_names
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registers:company", args=[self.slug])

    def public_action_reports(self) -> models.QuerySet:
        """Action reports about this company that are confirmed and approved.

        The submissions app links its reports to us (``related_name="action_reports"``); we read
        them through that relation and never import it: it sits above us."""
        return self.action_reports.public()


class LabourConcern(PublicContent):
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("company")
    )
    text = models.TextField(_("what was reported"))
    reported_on = models.DateField(_("date"), null=True, blank=True)
    disputed = models.BooleanField(_("disputed"), default=False)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["company", "position", "pk"]
        verbose_name = _("labour-rights concern")
        verbose_name_plural = _("labour-rights concerns")

    def __str__(self) -> str:
        return self.text[:80]


class BusinessPartner(PublicContent):
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="partners", verbose_name=_("company")
    )
    name = models.CharField(pgettext_lazy("name of an organisation", "name"), max_length=300)
    country = models.CharField(_("country"), max_length=100, blank=True)
    relationship = models.TextField(_("relationship as reported"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("foreign business partner")
        verbose_name_plural = _("foreign business partners")

    def __str__(self) -> str:
        return self.name
