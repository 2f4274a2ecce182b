from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from picketline.campaigns import blocks, cards, legal
from picketline.campaigns.models import Campaign, LegalPage, SupporterAction
from picketline.campaigns.share import mastodon_host, mastodon_share_url
from picketline.web.cache import public_page


def current_campaign_or_404() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404("No campaign yet")
    return campaign


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    campaign = Campaign.objects.current()
    if campaign is None:  # a site just installed: say so, rather than "page not found"
        return render(request, "campaigns/no_campaign.html", status=404)
    sections = [block.render(request) for block in blocks.collect(campaign, request)]
    return render(request, "campaigns/home.html", {"campaign": campaign, "sections": sections})


@public_page
@require_safe
def action(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = current_campaign_or_404()
    supporter_action = get_object_or_404(SupporterAction, campaign=campaign, slug=slug)
    ctx = {
        "campaign": campaign,
        "action": supporter_action,
        "other_actions": campaign.actions.exclude(pk=supporter_action.pk),
        "hashtags": campaign.hashtags.all(),
    }
    return render(request, "campaigns/action.html", ctx)


@public_page(max_age=cards.CARD_SECONDS)
@require_safe
def campaign_card(request: HttpRequest) -> HttpResponse:
    return cards.campaign_card(current_campaign_or_404())


@public_page(max_age=cards.CARD_SECONDS)
@require_safe
def action_card(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = current_campaign_or_404()
    found = get_object_or_404(SupporterAction, campaign=campaign, slug=slug)
    return cards.card_response(found.title, campaign.title)


@public_page
@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the campaign's name, its home in this language, our icons."""
    campaign = Campaign.objects.current()
    name = campaign.title if campaign else "Picketline"
    language = (get_language() or "en")[:2]
    body = {
        "name": name,
        "short_name": name[:30],
        "lang": language,
        "start_url": f"/{language}/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#8c141e",
        "icons": [
            {"src": static(f"web/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


@require_safe
def share_mastodon(request: HttpRequest) -> HttpResponse:
    """The no-JavaScript way to Mastodon: the visitor names their instance, we show the link.

    We never redirect off-site from a form (the CSP allows forms to post only to us), and the
    visitor sees where the link leads before following it.
    """
    campaign = current_campaign_or_404()
    hashtag = campaign.hashtags.filter(text=request.GET.get("tag", "")).first()
    text = campaign.share_text(hashtag)
    typed = request.GET.get("instance", "")[:300]
    host = mastodon_host(typed) if typed else None
    ctx = {
        "campaign": campaign,
        "hashtag": hashtag,
        "instance": typed,
        "host": host,
        "invalid": bool(typed) and host is None,
        "share_url": mastodon_share_url(host, f"{text} {campaign.public_url()}") if host else "",
        "share_text": text,
    }
    status = 400 if ctx["invalid"] else 200
    return render(request, "campaigns/share_mastodon.html", ctx, status=status)


@public_page
@require_safe
def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The imprint or the privacy policy, in the visitor's language where written."""
    page = LegalPage.objects.of_kind(kind)
    if page is None:
        raise Http404("Not written yet")
    wanted = (get_language() or settings.LANGUAGE_CODE)[:2]
    text, language = page.body_in(wanted)
    ctx = {
        "page": page,
        "body": legal.render(text),
        "body_language": language,
        "untranslated": language != wanted,
    }
    return render(request, "campaigns/legal.html", ctx)
