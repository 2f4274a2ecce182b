"""API representation of the campaign, its actions with confirmed counts, events and approved
submissions. Only what the public pages show; never a supporter's name, address or join link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import override

from picketline.api.http import NotFound, choice_param, page
from picketline.campaigns.models import Campaign, SupporterAction
from picketline.events.models import Event, Registration
from picketline.letters import counters
from picketline.letters.models import LetterAction
from picketline.lib.small_counts import shown_count
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "slogan": campaign.slogan,
        "summary": campaign.summary,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "time_zone": campaign.time_zone,
        "status": str(campaign.status()),
        "day_of_action": {
            "date": campaign.day_of_action_on,
            "title": campaign.day_of_action_title,
        },
        "demands": [d.text for d in campaign.demands.all()],
        "hashtags": [h.text for h in campaign.hashtags.all()],
        "page": campaign.get_absolute_url(),
    }


def campaigns(request: HttpRequest) -> dict[str, Any]:
    return page(request, Campaign.objects.prefetch_related("demands", "hashtags"), campaign_json)


def campaign(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = Campaign.objects.prefetch_related("demands", "hashtags").filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No campaign with this slug."))
    data = campaign_json(found)
    data["actions"] = [action_json(a) for a in found.actions.all()]
    return data


def registrations_shown(**where: Any) -> int | None:
    """How many hold a place at the events ``where`` names (a cancelled, lapsed or erased
    registration gives its place up, a waiting one has none), None when too few to publish:
    the site shows no such number, and a small one would tell who registered."""
    return shown_count(Registration.objects.attending().filter(**where).count())


def confirmed_count(action: SupporterAction) -> int | None:
    """How many supporters confirmed (by e-mail) taking this action, found from where its call
    to action leads; None for actions nobody confirms (sharing, reading)."""
    try:
        with override("en"):
            match = resolve(f"/en/{action.destination}")
    except Resolver404:
        return None
    name, kwargs = match.view_name, match.kwargs
    if name == "letters:action":
        letter_action = LetterAction.objects.published().filter(slug=kwargs["slug"]).first()
        return counters.letters_for(letter_action) if letter_action else None
    if name == "letters:index":
        return counters.letters_total()
    # Only events the list shows: a number for one it hides would say that it exists.
    if name == "events:detail":
        return registrations_shown(event__in=Event.objects.listed().filter(slug=kwargs["slug"]))
    if name == "events:list":
        return registrations_shown(event__in=Event.objects.listed())
    if name in ("submissions:video_form", "submissions:videos"):
        return VideoMessage.objects.confirmed().count()
    if name in ("submissions:endorse_form", "submissions:endorsements"):
        return Endorsement.objects.confirmed().count()
    if name in ("submissions:report_form", "submissions:reports"):
        return ActionReport.objects.confirmed().count()
    if name == "registers:companies":  # due diligence: the reports of meetings with companies
        kind = ActionReport.Kind.DUE_DILIGENCE
        return ActionReport.objects.confirmed().filter(kind=kind).count()
    return None


def action_json(action: SupporterAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "campaign": action.campaign.slug,
        "slug": action.slug,
        "kind": action.kind,
        "title": action.title,
        "summary": action.summary,
        "call_to_action": action.cta_label,
        "destination": f"/{action.destination}",
        "confirmed_count": confirmed_count(action),
    }


def actions(request: HttpRequest) -> dict[str, Any]:
    found = SupporterAction.objects.select_related("campaign")
    if request.GET.get("campaign"):
        found = found.filter(campaign__slug=request.GET["campaign"])
    return page(request, found, action_json)


def event_json(event: Event) -> dict[str, Any]:
    # Deliberately absent: join_url (registrants only) and anything about registrants.
    return {
        "slug": event.slug,
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "languages": event.language_codes(),
        "interpretation": event.interpretation,
        "venue": event.venue_name,
        "address": event.address,
        "country": event.country,
        "latitude": float(event.latitude) if event.latitude is not None else None,
        "longitude": float(event.longitude) if event.longitude is not None else None,
        "capacity": event.capacity,
        "registration_required": event.registration_required,
        "confirmed_registrations": getattr(event, "confirmed_registrations", None),
        "broadcast_url": event.broadcast_url,
        "recording_url": event.recording_url,
        "page": event.get_absolute_url(),
    }


def events(request: HttpRequest) -> dict[str, Any]:
    found = Event.objects.listed()
    kind = choice_param(request, "kind", list(Event.Kind.values))
    if kind:
        found = found.filter(kind=kind)
    if request.GET.get("campaign"):
        found = found.filter(campaign__slug=request.GET["campaign"])

    def with_count(event: Event) -> dict[str, Any]:
        event.confirmed_registrations = registrations_shown(event=event)
        return event_json(event)

    return page(request, found, with_count)


def event(request: HttpRequest, slug: str) -> dict[str, Any]:
    # What the list hides (an action supporters hold in a country marked as dangerous) is not
    # found by its slug either, with the very answer an unknown slug gets.
    found = Event.objects.listed().filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No published event with this slug."))
    found.confirmed_registrations = registrations_shown(event=found)
    return event_json(found)


def endorsement_json(item: Endorsement) -> dict[str, Any]:
    return {
        "id": item.pk,
        "type": "endorsement",
        "organisation": item.organisation,
        "country": item.country,
        "kind": item.kind,
        "members": item.members,
        "website": item.website,
        "statement": item.statement,
        "logo": item.logo_url() if item.logo else None,
    }


def report_json(item: ActionReport) -> dict[str, Any]:
    return {
        "id": item.pk,
        "type": "report",
        "kind": item.kind,
        "country": item.country,
        "date": item.happened_on,
        "title": item.title,
        "text": item.text,
        "on_behalf_of": item.group_name,
        "company": item.public_company().slug if item.public_company() else None,
        "company_name": item.public_company_name(),
        "business_partner": item.business_partner,
        "outcome": item.outcome,
        "photos": [photo.url() for photo in item.photos.all()],
        "page": item.get_absolute_url(),
    }


def video_json(item: VideoMessage) -> dict[str, Any]:
    # The sender's public name stays on the site, with its consent; the API carries no names.
    return {
        "id": item.pk,
        "type": "video",
        "text": item.text,
        "hashtags": item.hashtags,
        "link": item.link,
        "video": item.video_url() if item.video else None,
        "poster": item.poster_url() if item.poster else None,
        "duration": item.duration,
        "page": item.get_absolute_url(),
    }


def endorsements(request: HttpRequest) -> dict[str, Any]:
    return page(request, Endorsement.objects.public(), endorsement_json)


def reports(request: HttpRequest) -> dict[str, Any]:
    found = ActionReport.objects.public().select_related("company").prefetch_related("photos")
    kind = choice_param(request, "kind", list(ActionReport.Kind.values))
    if kind:
        found = found.filter(kind=kind)
    if request.GET.get("company"):
        found = found.filter(company__slug=request.GET["company"], company__is_published=True)
    return page(request, found, report_json)


def videos(request: HttpRequest) -> dict[str, Any]:
    return page(request, VideoMessage.objects.public(), video_json)
