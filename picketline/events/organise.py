"""Organiser tools: registrants per event, live counts, CSV export, check-in, a message to all,
and the review of actions supporters propose.

Who may do what is a permission (the roles in ``picketline.accounts.roles`` hand them out):
``view_registration`` shows the list without anyone's personal data; names and addresses need
``see_registrant_details`` and every such view is written to the audit log, as is every export.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from picketline.accounts.login import verified_staff
from picketline.accounts.models import AuditEntry
from picketline.events import mails
from picketline.events.forms import DeclineForm, MessageForm
from picketline.events.models import Event, HostedAction, HostedReport, Registration
from picketline.lib.csv_cells import CsvWriter
from picketline.web.next_url import back_to
from picketline.web.referrer import same_origin_referrer

DETAILS = "events.see_registrant_details"


def event_or_404(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def live_counts(event: Event) -> dict[str, int | None]:
    S = Registration.Status
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=S.CONFIRMED)),
        offered=Count("pk", filter=Q(status=S.OFFERED)),
        waitlisted=Count("pk", filter=Q(status=S.WAITLISTED)),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        cancelled=Count("pk", filter=Q(status__in=[S.CANCELLED, S.LAPSED])),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return {**counts, "capacity": event.capacity, "free": event.free_seats()}


@same_origin_referrer
@never_cache
@verified_staff
@permission_required("events.view_registration", raise_exception=True)
@require_GET
def registrants(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    details = request.user.has_perm(DETAILS)
    rows = event.registrations.exclude(status=Registration.Status.PENDING).select_related(
        "supporter"
    )
    rows = rows.order_by("status", "seat", "waitlisted_at", "pk")
    if details:
        AuditEntry.log(request.user, AuditEntry.Action.LIST, f"registrants of event {event.pk}")
    ctx = {
        "event": event,
        "rows": rows,
        "details": details,
        "counts": live_counts(event),
        "can_check_in": request.user.has_perm("events.check_in_registrants"),
        "can_export": request.user.has_perm("events.export_registrations") and details,
        "can_message": request.user.has_perm("events.message_registrants"),
    }
    return render(request, "events/organise/registrants.html", ctx)


@never_cache
@verified_staff
@permission_required("events.view_registration", raise_exception=True)
@require_GET
def counts(request: HttpRequest, slug: str) -> JsonResponse:
    return JsonResponse(live_counts(event_or_404(slug)))


@never_cache
@verified_staff
@permission_required(["events.export_registrations", DETAILS], raise_exception=True)
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    rows = (
        event.registrations.exclude(status=Registration.Status.PENDING)
        .select_related("supporter")
        .order_by("status", "seat", "waitlisted_at", "pk")
    )
    AuditEntry.log(request.user, AuditEntry.Action.EXPORT, f"registrants of event {event.pk}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrants.csv"'
    writer = CsvWriter(response)
    writer.writerow(
        [
            "status",
            "seat",
            "name",
            "email",
            "country",
            "organisation",
            "language",
            "interpretation",
            "accessibility",
            "registered",
            "checked_in",
        ]
    )
    for row in rows:
        supporter = row.supporter
        writer.writerow(
            [
                row.status,
                row.seat or "",
                supporter.name if supporter else "",
                supporter.email if supporter else "",
                supporter.country if supporter else "",
                row.organisation,
                row.language,
                row.interpretation_needs,
                row.accessibility_needs,
                row.created_at.isoformat(),
                row.checked_in_at.isoformat() if row.checked_in_at else "",
            ]
        )
    return response


@verified_staff
@permission_required("events.check_in_registrants", raise_exception=True)
@require_POST
def check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = event_or_404(slug)
    registration = get_object_or_404(
        event.registrations, pk=pk, status=Registration.Status.CONFIRMED
    )
    registration.check_in()
    return redirect("events:organise", slug=event.slug)


@same_origin_referrer
@never_cache
@verified_staff
@permission_required("events.message_registrants", raise_exception=True)
@require_http_methods(["GET", "POST"])
def message(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    form = MessageForm(request.POST or None)
    recipients = event.registrations.active().filter(supporter__isnull=False)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            sent = 0
            for registration in recipients.select_related("supporter"):
                mails.organiser_message(
                    registration, form.cleaned_data["subject"], form.cleaned_data["text"]
                )
                sent += 1
        return render(request, "events/organise/message_sent.html", {"event": event, "sent": sent})
    ctx = {"event": event, "form": form, "recipients": recipients.count()}
    return render(request, "events/organise/message.html", ctx)


# Review of supporter-hosted actions ---------------------------------------------------------


@same_origin_referrer
@never_cache
@verified_staff
@permission_required("events.change_hostedaction", raise_exception=True)
@require_GET
def hosted_queue(request: HttpRequest) -> HttpResponse:
    proposals = HostedAction.objects.filter(
        status=HostedAction.Status.PROPOSED, confirmed_at__isnull=False
    ).order_by("starts_at")
    reports = HostedReport.objects.filter(status=HostedReport.Status.SUBMITTED).select_related(
        "hosted_action"
    )
    AuditEntry.log(request.user, AuditEntry.Action.LIST, "hosted action proposals")
    ctx = {"proposals": proposals, "reports": reports, "decline_form": DeclineForm()}
    return render(request, "events/organise/hosted_queue.html", ctx)


@verified_staff
@permission_required("events.change_hostedaction", raise_exception=True)
@require_POST
def hosted_approve(request: HttpRequest, pk: int) -> HttpResponse:
    hosted = get_object_or_404(HostedAction, pk=pk, confirmed_at__isnull=False)
    hosted.approve()
    return back_to(request, "events:organise_hosted")


@verified_staff
@permission_required("events.change_hostedaction", raise_exception=True)
@require_POST
def hosted_decline(request: HttpRequest, pk: int) -> HttpResponse:
    hosted = get_object_or_404(HostedAction, pk=pk, confirmed_at__isnull=False)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Please give a reason."), status=400)
    hosted.decline(form.cleaned_data["reason"])
    return back_to(request, "events:organise_hosted")


@verified_staff
@permission_required("events.change_hostedreport", raise_exception=True)
@require_POST
def report_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(HostedReport, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        return HttpResponse(_("Unknown decision."), status=400)
    report.status = (
        HostedReport.Status.APPROVED if decision == "approve" else HostedReport.Status.REJECTED
    )
    report.moderated_at = timezone.now()
    report.save()
    if report.status == HostedReport.Status.REJECTED:
        for photo in report.photos.all():  # a refused photo is not kept
            photo.image.delete(save=False)
            photo.delete()
    return back_to(request, "events:organise_hosted")
