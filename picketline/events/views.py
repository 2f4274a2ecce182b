"""Public event pages: the list, one event, its calendar file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from picketline.events import calendar
from picketline.events.models import Event


def published_event_or_404(slug: str) -> Event:
    return get_object_or_404(Event.objects.published(), slug=slug)


def with_player(response: HttpResponse, event: Event) -> HttpResponse:
    """Allow the click-to-load player's origin in frames, for this response only."""
    origin = event.broadcast_origin()
    if origin:
        response.csp_frame_src = [origin]
    return response


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published()
    ctx = {"upcoming": events.upcoming(), "past": events.exclude(pk__in=events.upcoming())}
    return render(request, "events/list.html", ctx)


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = published_event_or_404(slug)
    ctx = {
        "event": event,
        "google_url": calendar.google_calendar_url(event),
        "outlook_url": calendar.outlook_calendar_url(event),
        "autoplay": request.GET.get("player") == "1",
    }
    return with_player(render(request, "events/detail.html", ctx), event)


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = published_event_or_404(slug)
    response = HttpResponse(calendar.ics_bytes(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
