"""The organisers' dashboard and the one moderation queue, pages of the admin site."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from picketline.accounts.models import AuditEntry
from picketline.dashboard import counting, figures, moderation
from picketline.events.forms import DeclineForm
from picketline.lib.csv_cells import CsvWriter
from picketline.submissions.admin import DecisionForm


def _period(request: HttpRequest) -> figures.Period:
    try:
        days = int(request.GET.get("days", figures.DEFAULT_PERIOD))
    except ValueError:
        days = figures.DEFAULT_PERIOD
    return figures.Period.of(days)


def _figures_allowed(request: HttpRequest) -> list[str]:
    """The figures the user may see; 403 for anyone without the dashboard's permission."""
    if not request.user.has_perm(figures.VIEW):
        raise PermissionDenied
    return figures.names_for(request.user)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    names = _figures_allowed(request)
    # What requests appended since the worker last added it up: one batch at most, so that a
    # backlog left by a stopped worker is the worker's to add up, not this request's.
    counting.fold(batches=1)
    period = _period(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "period": period,
        "periods": figures.PERIODS,
        "figures": [figures.make(name, period, request.user) for name in names],
    }
    return TemplateResponse(request, "dashboard/figures.html", context)


@require_GET
def figure_csv(request: HttpRequest, name: str) -> HttpResponse:
    names = _figures_allowed(request)
    if name not in figures.FIGURES and name != figures.MODERATION:
        raise Http404("No such figure")
    if name not in names:
        raise PermissionDenied
    counting.fold(batches=1)
    period = _period(request)
    figure = figures.make(name, period, request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{period.first}-{period.last}.csv"'
    )
    writer = CsvWriter(response)
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return response


@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    kinds = moderation.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    here = reverse("dashboard:moderation")
    items = []
    for waiting in moderation.oldest_waiting(kinds):
        key, pk = waiting.kind.key, waiting.item.pk
        form = None
        if key in ("videomessage", "endorsement", "actionreport"):
            form = DecisionForm(prefix=f"{key}-{pk}")
        elif key == "hostedaction":
            form = DeclineForm(auto_id=f"id_hosted{pk}_%s")
        items.append(
            {
                "waiting": waiting,
                "key": key,
                "item": waiting.item,
                "form": form,
                "section": {"model_name": key},  # what the submissions' preview reads
            }
        )
    AuditEntry.log(request.user, AuditEntry.Action.LIST, "moderation queue")
    context = {
        **admin.site.each_context(request),
        "title": _("Moderation queue"),
        "counts": [(kind, kind.count()) for kind in kinds],
        "items": items,
        "shown_at_once": moderation.SHOWN_AT_ONCE,
        "here": here,
    }
    return TemplateResponse(request, "dashboard/moderation.html", context)
