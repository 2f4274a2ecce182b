"""The dashboard's figures: each is a title, a table (what the page shows to a screen reader
and what its CSV holds) and the charts drawn from the same numbers.

Counts of actions come from ``DailyCount`` (kept as actions are confirmed): a figure sums the
rows of its one dimension over one period (days × kinds × values, a range of the index); the outbox and the moderation queue are counted live through
their indexes. Who sees a figure is decided by ``Figure.permission``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from picketline.dashboard import charts
from picketline.dashboard.models import NEW_SUPPORTERS, DailyCount
from picketline.dashboard.moderation import kinds_for
from picketline.mail.models import AddressHealth, OutgoingMessage
from picketline.partners.models import Partner
from picketline.supporters.models import action_models
from picketline.web.countries import country_name

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
VIEW = "dashboard.view_dailycount"
VIEW_OUTBOX = "mail.view_outgoingmessage"


@dataclass
class Figure:
    name: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]]
    charts: list[SafeString] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Period:
    days: int
    first: date
    last: date

    @classmethod
    def of(cls, days: int) -> Period:
        days = days if days in PERIODS else DEFAULT_PERIOD
        last = timezone.localdate(timezone=timezone.get_default_timezone())
        return cls(days, last - timedelta(days=days - 1), last)

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def counts(self, dimension: str) -> QuerySet[DailyCount]:
        """The period's counts under ``dimension`` (one of ``models.DIMENSIONS``)."""
        return DailyCount.objects.filter(
            dimension=dimension, day__gte=self.first, day__lte=self.last
        )


def kind_labels() -> dict[str, str]:
    """Every kind of action counted, and new supporters, by the name the reader uses."""
    labels = {
        model._meta.label_lower: str(model._meta.verbose_name_plural).capitalize()
        for model in action_models()
    }
    labels[NEW_SUPPORTERS] = _("New supporters")
    return labels


def _label(labels: dict[str, str], kind: str) -> str:
    return labels.get(kind, kind)


def daily(period: Period) -> Figure:
    labels = kind_labels()
    rows = period.counts("all").values_list("day", "kind", "confirmed")
    by_kind: dict[str, dict[date, int]] = {}
    for day, kind, n in rows:
        by_kind.setdefault(kind, {})[day] = n
    kinds = [kind for kind in labels if kind in by_kind]
    days = period.each_day()
    table = [[day.isoformat(), *(by_kind[kind].get(day, 0) for kind in kinds)] for day in days]
    figure = Figure(
        "daily",
        _("Confirmed per day"),
        _(
            "Actions confirmed by e-mail each day, per kind, and supporters who confirmed "
            "their address for the first time."
        ),
        [_("Day"), *(_label(labels, kind) for kind in kinds)],
        table,
    )
    for index, kind in enumerate(kinds):
        series = [(day, by_kind[kind].get(day, 0)) for day in days]
        total = sum(n for _day, n in series)
        figure.charts.append(
            charts.by_day(
                f"daily-{index}",
                _label(labels, kind),
                _("%(total)d in all from %(first)s to %(last)s, one bar a day.")
                % {"total": total, "first": period.first, "last": period.last},
                series,
            )
        )
    if not kinds:
        figure.note = _("Nothing was confirmed in this period.")
    return figure


def funnel(period: Period) -> Figure:
    labels = kind_labels()
    sums = (
        period.counts("all")
        .exclude(kind=NEW_SUPPORTERS)
        .values("kind")
        .annotate(submitted=Sum("submitted"), confirmed=Sum("confirmed"))
        .order_by()
    )
    found = {row["kind"]: row for row in sums}
    rows = []
    for kind in labels:
        if kind in found:
            submitted, confirmed = found[kind]["submitted"], found[kind]["confirmed"]
            rate = f"{100 * confirmed / submitted:.0f} %" if submitted else "–"
            rows.append([_label(labels, kind), submitted, confirmed, rate])
    figure = Figure(
        "funnel",
        _("From submitted to confirmed"),
        _(
            "Actions sent with a form in this period, and actions confirmed in it. An action "
            "sent near the end of the period may be confirmed in the next one."
        ),
        [_("Kind"), _("Submitted"), _("Confirmed"), _("Confirmed of submitted")],
        rows,
    )
    if rows:
        figure.charts.append(
            charts.bars(
                "funnel",
                figure.title,
                figure.description,
                [(row[0], [row[1], row[2]]) for row in rows],
                series=[_("Submitted"), _("Confirmed")],
            )
        )
    return figure


def _grouped(period: Period, dimension: str) -> list[tuple[str, int]]:
    rows = (
        period.counts(dimension)
        .exclude(kind=NEW_SUPPORTERS)
        .values("value")
        .annotate(n=Sum("confirmed"))
        .filter(n__gt=0)
        .order_by("-n", "value")
    )
    return [(row["value"], row["n"]) for row in rows]


def _bar_figure(
    name: str, title: str, description: str, column: str, pairs: list[tuple[str, int]]
) -> Figure:
    figure = Figure(name, title, description, [column, _("Confirmed")], [[a, n] for a, n in pairs])
    if pairs:
        shown = pairs[:20]
        figure.charts.append(
            charts.bars(name, title, description, [(label, [n]) for label, n in shown])
        )
        if len(pairs) > len(shown):
            figure.note = _("The chart shows the first %(n)d; the table and the CSV have all.") % {
                "n": len(shown)
            }
    else:
        figure.note = _("Nothing was confirmed in this period.")
    return figure


def by_action(period: Period) -> Figure:
    labels = kind_labels()
    rows = (
        period.counts("action")
        .exclude(kind=NEW_SUPPORTERS)
        .values("kind", "value")
        .annotate(n=Sum("confirmed"))
        .filter(n__gt=0)
        .order_by("-n", "kind", "value")
    )
    names = _action_names({(row["kind"], row["value"]) for row in rows})
    pairs = []
    for row in rows:
        kind = _label(labels, row["kind"])
        name = names.get((row["kind"], row["value"]))
        pairs.append((f"{kind}: {name}" if name else kind, row["n"]))
    return _bar_figure(
        "by_action",
        _("Confirmed by action"),
        _("Actions confirmed in this period, per letter action, event or kind."),
        _("Action"),
        pairs,
    )


def _action_names(keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What each counted action is called: one query per kind that names its actions."""
    names = {}
    by_kind: dict[str, set[int]] = {}
    for kind, key in keys:
        if key.isdigit():
            by_kind.setdefault(kind, set()).add(int(key))
    for kind, pks in by_kind.items():
        try:
            model = apps.get_model(kind)
        except LookupError:
            continue
        if not getattr(model, "counted_by", ""):
            continue
        related = model._meta.get_field(model.counted_by).related_model
        for pk, found in related.objects.in_bulk(pks).items():
            names[(kind, str(pk))] = str(found)
    return names


def by_country(period: Period) -> Figure:
    unknown = _("not given")
    pairs = [
        (f"{country_name(code)} ({code})" if code else unknown, n)
        for code, n in _grouped(period, "country")
    ]
    return _bar_figure(
        "by_country",
        _("Confirmed by the supporter's own country"),
        _(
            "The country supporters gave as their own (for a letter, the country it was "
            "written from), never the country of a letter's recipients."
        ),
        _("Supporter's country"),
        pairs,
    )


def by_language(period: Period) -> Figure:
    names = dict(settings.LANGUAGES)
    pairs = [
        (str(names[code]) if code in names else code or _("not given"), n)
        for code, n in _grouped(period, "language")
    ]
    return _bar_figure(
        "by_language",
        _("Confirmed by language"),
        _("The language each action was taken in."),
        _("Language"),
        pairs,
    )


def by_partner(period: Period) -> Figure:
    grouped = [(int(value or 0), n) for value, n in _grouped(period, "partner")]
    names = dict(
        Partner.objects.filter(pk__in=[pk for pk, _n in grouped if pk]).values_list("pk", "name")
    )
    pairs = [
        (
            (names.get(pk) or _("partner #%(id)d") % {"id": pk}) if pk else _("no partner"),
            n,
        )
        for pk, n in grouped
    ]
    return _bar_figure(
        "by_partner",
        _("Confirmed by partner"),
        _("The partner organisation that brought each action, if any."),
        _("Partner"),
        pairs,
    )


def by_source(period: Period) -> Figure:
    pairs = [(source or _("no source"), n) for source, n in _grouped(period, "source")]
    return _bar_figure(
        "by_source",
        _("Confirmed by source"),
        _("Where each action came from, as its link said (a newsletter, a social network…)."),
        _("Source"),
        pairs,
    )


def outbox(period: Period) -> Figure:
    Status = OutgoingMessage.Status
    messages = OutgoingMessage.objects
    rows = [
        [
            _("Waiting to be sent"),
            messages.filter(status__in=[Status.QUEUED, Status.RETRY]).count(),
        ],
        [_("Being sent"), messages.filter(status=Status.SENDING).count()],
        [_("Held for release"), messages.filter(status=Status.HELD).count()],
        [_("Failed"), messages.filter(status=Status.FAILED).count()],
        [
            _("Addresses bouncing"),
            AddressHealth.objects.filter(bouncing_since__isnull=False).count(),
        ],
    ]
    figure = Figure(
        "outbox",
        _("Outbox health"),
        _("Mail now in the outbox, and addresses not tried again after refusals."),
        [_("State"), _("Count")],
        rows,
    )
    figure.charts.append(
        charts.bars("outbox", figure.title, figure.description, [(r[0], [r[1]]) for r in rows])
    )
    return figure


def moderation_for(user: Any) -> Figure:
    rows = [[kind.label.capitalize(), kind.count()] for kind in kinds_for(user)]
    return Figure(
        "moderation",
        _("Waiting for moderation"),
        _("Items confirmed by their senders that wait for a decision."),
        [_("Kind"), _("Waiting")],
        rows,
    )


# name: (how it is made, who may see it); the moderation figure is per user.
FIGURES: dict[str, tuple[Callable[[Period], Figure], str]] = {
    "daily": (daily, VIEW),
    "funnel": (funnel, VIEW),
    "by_action": (by_action, VIEW),
    "by_country": (by_country, VIEW),
    "by_language": (by_language, VIEW),
    "by_partner": (by_partner, VIEW),
    "by_source": (by_source, VIEW),
    "outbox": (outbox, VIEW_OUTBOX),
}
MODERATION = "moderation"


def names_for(user: Any) -> list[str]:
    """The figures ``user`` may see, in the page's order."""
    names = [name for name, (_make, permission) in FIGURES.items() if user.has_perm(permission)]
    if kinds_for(user):
        names.append(MODERATION)
    return names


def make(name: str, period: Period, user: Any) -> Figure:
    if name == MODERATION:
        return moderation_for(user)
    return FIGURES[name][0](period)
