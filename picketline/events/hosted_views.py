"""Actions supporters hold in their own countries: the public list and map, the proposal form,
and the host's report afterwards."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from picketline.events import gazetteer
from picketline.events.forms import HostedActionForm, HostMessageForm, ReportForm
from picketline.events.models import Event, HostedAction, HostedReport, ReportPhoto
from picketline.events.models.hosted import (
    HOST_MESSAGES_PER_DAY,
    HostMessageRefused,
    strip_metadata,
)
from picketline.events.worldmap import Pin, world_map_svg
from picketline.supporters import after_confirming
from picketline.supporters.abuse import rate_limited, too_many_uploads, uploads_rate_limited
from picketline.supporters.flow import take_new_action
from picketline.web.cache import public_page
from picketline.web.moments import moment_text
from picketline.web.referrer import same_origin_referrer
from picketline.web.uploads import TooManyPixels, use_limited_uploads


@require_GET
@public_page
def hosted_list(request: HttpRequest) -> HttpResponse:
    events = list(
        Event.objects.listed()
        .filter(hosted_action__status=HostedAction.Status.APPROVED)
        .select_related("hosted_action")
        .order_by("country", "starts_at")
    )
    by_country = [
        {"country": country, "events": list(group)}
        for country, group in groupby(events, key=lambda e: e.country)
    ]
    pins = [
        Pin(float(e.latitude), float(e.longitude), e.title, e.get_absolute_url())
        for e in events
        if e.has_coordinates
    ]
    reports = HostedReport.objects.public().select_related("hosted_action__event")
    ctx = {
        "by_country": by_country,
        "map": world_map_svg(pins, _("Map of actions held by supporters")),
        "reports": reports.prefetch_related("photos"),
    }
    return render(request, "events/hosted/list.html", ctx)


def gazetteer_choices() -> list[str]:
    """The cities the form knows, as the list under the city field offers them."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return sorted((city.label(language) for city in gazetteer.cities()), key=str.casefold)


@same_origin_referrer
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    cities = gazetteer_choices()
    if request.method == "GET":
        ctx = {"form": HostedActionForm(), "cities": cities}
        return render(request, "events/hosted/propose.html", ctx)
    form = HostedActionForm(request.POST)
    if form.is_honeypot_filled():
        return redirect("events:hosted_proposed")
    if not form.is_valid():
        ctx = {"form": form, "cities": cities}
        return render(request, "events/hosted/propose.html", ctx, status=400)
    if rate_limited(request, "events-hosted", email=form.cleaned_data["email"]):
        ctx = {"form": form, "cities": cities, "limited": True}
        return render(request, "events/hosted/propose.html", ctx, status=429)
    data = form.cleaned_data
    hosted = HostedAction(
        language=form.chosen_language(),
        title=data["title"],
        description=data["description"],
        place=data["place"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        expected_size=data["expected_size"],
        contact=data["contact"],
        **form.place_fields(),
    )
    take_new_action(form, hosted, request)
    return redirect("events:hosted_proposed")


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A report's photo: public once the report is approved, before that only to moderators."""
    found = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)
    public = HostedReport.objects.public().filter(pk=found.report_id).exists()
    if not public and not request.user.has_perm("events.review_hostedreport"):
        raise Http404("No such photo")
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def proposed(request: HttpRequest) -> HttpResponse:
    return render(request, "events/hosted/proposed.html")


@public_page
@require_GET
def confirmed(request: HttpRequest, newly: bool = True) -> HttpResponse:
    """After confirming a proposal: what happens next (a review), the same for every host."""
    return after_confirming.page(
        request,
        newly=newly,
        what=_("Hold an action in your country"),
        public_path=reverse("events:hosted_list"),
        details="events/hosted/_confirmed.html",
        context={"reviewed_first": True},
    )


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the form
@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, token: str) -> HttpResponse:
    if uploads_rate_limited(request):
        return too_many_uploads()
    use_limited_uploads(request, settings.SUBMISSIONS_IMAGE_MAX_BYTES, ReportForm.MAX_PHOTOS)
    return _report(request, token)


@csrf_protect
def _report(request: HttpRequest, token: str) -> HttpResponse:
    hosted = HostedAction.from_report_token(token)
    if hosted is None:
        raise Http404("No such action")
    existing = HostedReport.objects.filter(hosted_action=hosted).first()
    if existing is not None:
        return render(request, "events/hosted/report_done.html", host_context(hosted, token))
    form = ReportForm(request.POST or None, request.FILES or None, hosted=hosted)
    if request.method == "POST" and request.upload_refused:
        form.add_error(
            None,
            _("A photo is larger than %(size)d MB, or there are too many.")
            % {"size": settings.SUBMISSIONS_IMAGE_MAX_BYTES // 1_000_000},
        )
    if request.method == "POST" and form.is_valid():
        try:
            photos = [strip_metadata(upload.read())[0] for upload in form.cleaned_data["photos"]]
        except TooManyPixels as refused:
            form.add_error("photos", str(refused))
        except ValueError:
            form.add_error("photos", _("One of the files is not a photo we can read."))
        else:
            with transaction.atomic():
                new = HostedReport.objects.create(
                    hosted_action=hosted,
                    participants=form.cleaned_data["participants"],
                    text=form.cleaned_data["text"],
                )
                for clean in photos:
                    ReportPhoto.store(new, clean)
            return render(request, "events/hosted/report_done.html", host_context(hosted, token))
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, **host_context(hosted, token)}
    return render(request, "events/hosted/report.html", ctx, status=status)


def host_context(hosted: HostedAction, token: str) -> dict[str, object]:
    """What the host's own page shows besides the report: counts, never anyone's details."""
    return {
        "hosted": hosted,
        "token": token,
        "taken_place": hosted.has_taken_place(),
        "starts": moment_text(hosted.takes_place_at(), hosted.time_zone),
        "sign_ups": hosted.sign_ups(),
        "writing_ends_at": hosted.writing_ends_at(),
        "writing_over": timezone.now() >= hosted.writing_ends_at(),
    }


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def host_message(request: HttpRequest, token: str) -> HttpResponse:
    """The host writes to those who signed up. The site sends it to each of them; the host
    never sees an address and replies do not reach the host (the mail says so)."""
    hosted = HostedAction.from_report_token(token)
    if hosted is None or hosted.event_id is None:
        raise Http404("No such action")
    form = HostMessageForm(request.POST or None)
    ctx = {
        "form": form,
        "recipients": hosted.message_recipients().count(),
        "sent_before": hosted.host_messages.all(),
        "limit": HOST_MESSAGES_PER_DAY,
        "again_at": hosted.next_message_at(),  # for the page; the send counts again, locked
        **host_context(hosted, token),
    }
    if request.method == "POST" and form.is_valid():
        try:
            message = hosted.write_to_those_signed_up(
                form.cleaned_data["subject"], form.cleaned_data["text"]
            )
        except HostMessageRefused as refused:
            if refused.again_at is None:
                ctx["writing_over"] = True
                return render(request, "events/hosted/message.html", ctx, status=410)
            ctx["again_at"] = refused.again_at
            response = render(request, "events/hosted/message.html", ctx, status=429)
            wait = refused.again_at - timezone.now()
            response["Retry-After"] = str(max(1, int(wait.total_seconds()) + 1))
            return response
        ctx["sent"] = message.recipients
        return render(request, "events/hosted/message_sent.html", ctx)
    status = 400 if request.method == "POST" else 200
    return render(request, "events/hosted/message.html", ctx, status=status)
