"""Organiser tools: registrants per event, live counts, CSV export, check-in at the door, a
message to all,
and the review of actions supporters propose.

Who may do what is a permission (the roles in ``picketline.accounts.roles`` hand them out):
``view_registration`` shows the list without anyone's personal data; names and addresses need
``see_registrant_details`` and every such view is written to the audit log, as is every export. The door
(``check_in_registrants``) sees the names of those with a seat, never their addresses; each
search and each scanned code is written to the audit log too.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from picketline.accounts.login import verified_staff
from picketline.accounts.models import AuditEntry
from picketline.events import check_in, mails
from picketline.events.forms import DeclineForm, MessageForm
from picketline.events.models import Event, HostedAction, HostedReport, Registration
from picketline.lib.csv_cells import CsvWriter
from picketline.web.middleware import permissions_policy
from picketline.web.moments import as_zone, zone_text
from picketline.web.next_url import back_to
from picketline.web.referrer import same_origin_referrer

DETAILS = "events.see_registrant_details"
# Moderators hold these two and nothing else of the hosted actions: they decide, never edit.
REVIEW_HOSTED = "events.review_hostedaction"
REVIEW_REPORTS = "events.review_hostedreport"


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
    zone = as_zone(event.time_zone)
    # The organiser's language, and the times on the event's own clocks, the zone named once
    # in the heading and each time with its offset.
    zone_name = zone_text(zone, event.starts_at)
    writer = CsvWriter(response)
    writer.writerow(
        [
            _("Status"),
            _("Seat"),
            _("Name"),
            _("E-mail"),
            _("Country"),
            _("Organisation"),
            _("Language"),
            _("Interpretation"),
            _("Accessibility"),
            _("Registered (%(zone)s)") % {"zone": zone_name},
            _("Checked in (%(zone)s)") % {"zone": zone_name},
        ]
    )
    for row in rows:
        supporter = row.supporter
        writer.writerow(
            [
                row.get_status_display(),
                row.seat or "",
                supporter.name if supporter else "",
                supporter.email if supporter else "",
                supporter.country if supporter else "",
                row.organisation,
                row.language,
                row.interpretation_needs,
                row.accessibility_needs,
                _on_clocks_of(row.created_at, zone),
                _on_clocks_of(row.checked_in_at, zone),
            ]
        )
    return response


def _on_clocks_of(moment: datetime | None, zone: tzinfo) -> str:
    """``2030-04-19T09:41+02:00``: as a spreadsheet reads it, on the clocks of ``zone``."""
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else ""


# Check-in at the door -------------------------------------------------------------------------

CHECK_IN = "events.check_in_registrants"


def with_camera(response: HttpResponse) -> HttpResponse:
    """The check-in page may use this site's camera access (every other page forbids it)."""
    response["Permissions-Policy"] = permissions_policy(allow_self=("camera",))
    return response


def desk_url(event: Event, query: str = "") -> str:
    url = reverse("events:check_in_desk", args=[event.slug])
    return f"{url}?{urlencode({'q': query})}" if query else url


def render_desk(
    request: HttpRequest,
    event: Event,
    query: str = "",
    outcome: check_in.Outcome | None = None,
    status: int = 200,
) -> HttpResponse:
    found = check_in.search(event, query) if query else []
    if query:
        AuditEntry.log(
            request.user, AuditEntry.Action.LIST, f"names of registrants of event {event.pk}"
        )
    ctx = {
        "event": event,
        "query": query,
        "found": found,
        "outcome": outcome,
        "counts": live_counts(event),
    }
    return with_camera(render(request, "events/organise/check_in.html", ctx, status=status))


@same_origin_referrer
@never_cache
@verified_staff
@permission_required(CHECK_IN, raise_exception=True)
@require_GET
def check_in_desk(request: HttpRequest, slug: str) -> HttpResponse:
    """Search by name (works without JavaScript) and the camera that reads entry codes."""
    event = event_or_404(slug)
    return render_desk(request, event, request.GET.get("q", "").strip()[:100])


@verified_staff
@permission_required(CHECK_IN, raise_exception=True)
@require_POST
def check_in_person(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = event_or_404(slug)
    registration = get_object_or_404(
        event.registrations, pk=pk, status=Registration.Status.CONFIRMED
    )
    registration.check_in(by=request.user)
    return back_to_desk(request, event)


@verified_staff
@permission_required(CHECK_IN, raise_exception=True)
@require_POST
def undo_check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = event_or_404(slug)
    registration = get_object_or_404(event.registrations, pk=pk)
    registration.undo_check_in()
    return back_to_desk(request, event)


def back_to_desk(request: HttpRequest, event: Event) -> HttpResponse:
    """To the door page with the same search, or to the list the button was on."""
    if request.POST.get("back") == "desk":
        return redirect(desk_url(event, request.POST.get("q", "").strip()[:100]))
    return redirect("events:organise", slug=event.slug)


@same_origin_referrer
@never_cache
@verified_staff
@permission_required(CHECK_IN, raise_exception=True)
@require_POST
def check_in_scan(request: HttpRequest, slug: str) -> HttpResponse:
    """A code read by the camera (events/check_in.js) or typed: the same form either way."""
    event = event_or_404(slug)
    code = check_in.code_from_scanned_text(request.POST.get("code", ""))
    outcome = check_in.scan(event, code, by=request.user)
    if outcome.registration is not None and outcome.kind != "other_event":
        AuditEntry.log(
            request.user, AuditEntry.Action.VIEW, f"registration {outcome.registration.pk}"
        )
    return render_desk(request, event, outcome=outcome, status=200 if outcome.accepted else 400)


@same_origin_referrer
@never_cache
@verified_staff
@permission_required(CHECK_IN, raise_exception=True)
@require_GET
def check_in_code(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Where a phone's own camera app leads: one button that checks the person in (a GET
    changes nothing). It names a seat holder of this event only; the button's answer says
    what is wrong with any other code."""
    event = event_or_404(slug)
    registration = Registration.from_check_in_code(code)
    seated = (
        registration is not None
        and registration.event_id == event.pk
        and registration.status == Registration.Status.CONFIRMED
        and registration.supporter_id is not None
    )
    if seated:
        AuditEntry.log(request.user, AuditEntry.Action.VIEW, f"registration {registration.pk}")
    ctx = {"event": event, "code": code, "registration": registration if seated else None}
    return render(request, "events/organise/check_in_code.html", ctx)


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
                language = registration.language or registration.supporter.language
                subject, text = form.version_for(language)
                mails.organiser_message(registration, subject, text)
                sent += 1
        # Redirected: reloading the page that says so must not send it all again.
        url = reverse("events:message", args=[event.slug])
        return redirect(f"{url}?{urlencode({'sent': sent})}")
    if request.method == "GET" and request.GET.get("sent", "").isdigit():
        sent = int(request.GET["sent"])
        return render(request, "events/organise/message_sent.html", {"event": event, "sent": sent})
    by_language = dict(
        recipients.values_list("language").annotate(n=Count("pk")).order_by("language")
    )
    names = dict(settings.LANGUAGES)
    ctx = {
        "event": event,
        "form": form,
        "recipients": sum(by_language.values()),
        "by_language": [(names.get(code, code), n) for code, n in by_language.items()],
    }
    return render(request, "events/organise/message.html", ctx)


# Review of supporter-hosted actions ---------------------------------------------------------


@same_origin_referrer
@never_cache
@verified_staff
@permission_required(REVIEW_HOSTED, raise_exception=True)
@require_GET
def hosted_queue(request: HttpRequest) -> HttpResponse:
    proposals = HostedAction.objects.filter(
        status=HostedAction.Status.PROPOSED, confirmed_at__isnull=False
    ).order_by("starts_at")
    reports = HostedReport.objects.filter(status=HostedReport.Status.SUBMITTED).select_related(
        "hosted_action"
    )
    AuditEntry.log(request.user, AuditEntry.Action.LIST, "hosted action proposals")
    ctx = {
        "proposals": proposals,
        "reports": reports,
        "decline_form": DeclineForm(),
        # The host's private contact is for organisers, who may need to call back; a decision
        # needs only what the proposal says.
        "show_contact": request.user.has_perm("events.change_hostedaction"),
    }
    return render(request, "events/organise/hosted_queue.html", ctx)


@verified_staff
@permission_required(REVIEW_HOSTED, raise_exception=True)
@require_POST
def hosted_approve(request: HttpRequest, pk: int) -> HttpResponse:
    hosted = get_object_or_404(HostedAction, pk=pk)
    if not hosted.can_be_decided():
        raise Http404
    hosted.approve()
    return back_to(request, "events:organise_hosted")


@verified_staff
@permission_required(REVIEW_HOSTED, raise_exception=True)
@require_POST
def hosted_decline(request: HttpRequest, pk: int) -> HttpResponse:
    hosted = get_object_or_404(HostedAction, pk=pk)
    if not hosted.can_be_decided():
        raise Http404
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Please give a reason."), status=400)
    hosted.decline(form.cleaned_data["reason"])
    return back_to(request, "events:organise_hosted")


@verified_staff
@permission_required(REVIEW_REPORTS, raise_exception=True)
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
