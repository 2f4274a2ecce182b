"""Public event pages: the list, one event, its calendar file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from picketline.campaigns import cards
from picketline.events import calendar, check_in, mails
from picketline.events.forms import RegistrationForm
from picketline.events.models import Event, Registration
from picketline.supporters import after_confirming
from picketline.supporters.abuse import rate_limited
from picketline.supporters.flow import request_confirmation, take_new_action
from picketline.supporters.models import EARLIER_FIELDS, Supporter, first_earlier
from picketline.web.cache import public_page
from picketline.web.moments import moment_text
from picketline.web.referrer import same_origin_referrer


def listed_event_or_404(slug: str) -> Event:
    """A published event the list shows; what it hides (``EventQuerySet.listed``) is not
    found by its address either. Registrants reach theirs through their own link (``mine``)."""
    return get_object_or_404(Event.objects.listed(), slug=slug)


def with_player(response: HttpResponse, event: Event) -> HttpResponse:
    """Allow the click-to-load player's origin in frames, for this response only."""
    origin = event.broadcast_origin()
    if origin:
        response.csp_frame_src = [origin]
    return response


@require_GET
@public_page
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published().filter(hosted_action__isnull=True)
    ctx = {"upcoming": events.upcoming(), "past": events.exclude(pk__in=events.upcoming())}
    return render(request, "events/list.html", ctx)


def _detail(request: HttpRequest, event: Event, form: RegistrationForm | None, status=200):
    state = event.registration_state()
    ctx = {
        "event": event,
        "google_url": calendar.google_calendar_url(event),
        "outlook_url": calendar.outlook_calendar_url(event),
        "registration_state": state,
        "form": form or (RegistrationForm() if state == "open" else None),
        "free_seats": event.free_seats(),
    }
    return with_player(render(request, "events/detail.html", ctx, status=status), event)


@same_origin_referrer
@public_page  # the form's CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = Event.published_for_form(slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        return _detail(request, event, None)
    if event.registration_state() != "open":
        return _detail(request, event, None, status=409)
    form = RegistrationForm(request.POST)
    if form.is_honeypot_filled():
        return redirect("events:check_mail", slug=event.slug)
    if not form.is_valid():
        return _detail(request, event, form, status=400)
    if rate_limited(request, "events", email=form.cleaned_data["email"]):
        return render(request, "events/rate_limited.html", {"event": event}, status=429)
    register(request, event, form)
    return redirect("events:check_mail", slug=event.slug)


def register(request: HttpRequest, event: Event, form: RegistrationForm) -> None:
    """One registration per person and event: a second form with the same address sends the
    confirmation again (if still unconfirmed) or the registrant's own link, and nothing else."""
    data = form.cleaned_data
    registration = Registration(
        event=event,
        language=form.chosen_language(),
        organisation=data["organisation"],
        interpretation_needs=data["interpretation_needs"],
        accessibility_needs=data["accessibility_needs"],
        time_zone=data["time_zone"],
    )

    def registered_already(supporter: Supporter) -> bool:
        # Asked once the supporter row is stored and locked, so two forms from one address
        # at once cannot both register.
        existing = first_earlier(
            Registration,
            (*EARLIER_FIELDS, "event", "status"),  # what the mails below read
            {"event": event.pk, "supporter": supporter.pk},
            not_in=("status", (Registration.Status.CANCELLED, Registration.Status.LAPSED)),
        )
        if existing is None:
            return False
        existing.supporter = supporter
        if existing.confirmed_at is None:
            request_confirmation(existing, request)
        else:
            mails.already_registered(existing)
        return True

    take_new_action(form, registration, request, unless=registered_already)


@public_page(max_age=cards.CARD_SECONDS)
@require_GET
def card(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's share card: its title and when it starts, in the page's language."""
    event = listed_event_or_404(slug)
    return cards.card_response(event.title, moment_text(event.starts_at, event.zone))


@public_page
@require_GET
def confirmed(request: HttpRequest, slug: str, newly: bool = True) -> HttpResponse:
    """After confirming a registration: the event and its calendar file, the same for all."""
    event = listed_event_or_404(slug)
    return after_confirming.page(
        request,
        newly=newly,
        what=event.title,
        public_path=event.get_absolute_url(),
        details="events/_confirmed.html",
        context={
            "event": event,
            "google_url": calendar.google_calendar_url(event),
            "outlook_url": calendar.outlook_calendar_url(event),
        },
    )


@require_GET
def check_mail(request: HttpRequest, slug: str) -> HttpResponse:
    event = listed_event_or_404(slug)
    # A full event: confirming puts the person on the waitlist, and the page says so.
    return render(
        request, "events/check_mail.html", {"event": event, "full": event.free_seats() == 0}
    )


# The registrant's own pages, reached only through the links in their e-mails ----------------


def registration_or_404(token: str) -> Registration:
    registration = Registration.from_token(token)
    if registration is None or registration.confirmed_at is None:
        raise Http404("No such registration")
    return registration


@same_origin_referrer
@never_cache
@require_GET
def mine(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    event = registration.event
    ctx = {
        "registration": registration,
        "event": event,
        "token": token,
        "join_url": event.join_url if registration.may_join else "",
        "position": registration.waitlist_position(),
        "google_url": calendar.google_calendar_url(event),
        "outlook_url": calendar.outlook_calendar_url(event),
        "entry_qr": check_in.qr_png_data_uri(registration) if registration.has_entry_code else "",
    }
    response = render(request, "events/mine.html", ctx)
    return with_player(response, event)


@never_cache
@require_POST
def accept(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    registration.accept_offer()
    return redirect("events:mine", token=token)


@same_origin_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (mail scanners follow links, they do not press buttons)."""
    registration = registration_or_404(token)
    if request.method == "POST":
        registration.cancel()
        return render(request, "events/cancelled.html", {"event": registration.event})
    return render(
        request, "events/cancel.html", {"registration": registration, "event": registration.event}
    )


@never_cache
@require_GET
def my_ics(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    data = mails.registrant_ics(registration, cancelled=not registration.is_active)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return response


@require_GET
@public_page
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = listed_event_or_404(slug)
    response = HttpResponse(calendar.ics_bytes(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
