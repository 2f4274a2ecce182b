"""An action embedded on a partner's site: the same view in a small layout, framed only there.

``embeddable(view)`` serves an action view under ``/<lang>/embed/<partner>/…``: the page shows
the partner's logo and consent line, loads nothing from elsewhere, works without JavaScript and
is cached per partner, action and language like any ``@public_page``. A redirect answering a
POST (the action is taken: check your mail) goes to the embed's own "check your mail". Its Content-Security-Policy
says ``frame-ancestors`` with the partner's registered origins (``'none'`` without any), and no
X-Frame-Options, which would contradict it; every other page still refuses every frame.

CSRF: a page in a partner's iframe is a third-party context, where a SameSite=Lax cookie is not
sent with the form's POST and third-party cookies are often blocked outright (Safari, strict
modes). So an embed needs no cookie: its form carries no token and the POST is exempt from
Django's cookie check, and instead must come from a page of this origin, as browsers report it in
``Sec-Fetch-Site`` (``same-origin``) or else ``Origin`` — headers a page elsewhere cannot forge
(the same check Django makes first, before the token). The embed's own page sends
``Referrer-Policy: same-origin`` so that the browser names its origin. Every other form keeps
Django's CSRF protection unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from picketline.partners.models import Partner
from picketline.supporters.attribution import embed_partner, embedded_in

EMBED_LAYOUT = "supporters/embed_base.html"
PAGE_LAYOUT = "web/base.html"


@dataclass(frozen=True)
class Embeddable:
    """One action a partner can embed: its title and the URL name and arguments of its embed
    (without ``partner``)."""

    title: str
    url_name: str
    kwargs: dict[str, Any]


_LISTS: list[Callable[[], list[Embeddable]]] = []


def register(list_embeddable: Callable[[], list[Embeddable]]) -> None:
    """An action app names its embeddable actions, in its ``AppConfig.ready()``."""
    _LISTS.append(list_embeddable)


def embeddable_actions() -> list[Embeddable]:
    return [found for list_embeddable in _LISTS for found in list_embeddable()]


def snippet(partner: Partner, embed: Embeddable, language: str) -> str:
    """The HTML a partner copies into its page: an iframe of our embed, nothing else."""
    with translation.override(language):
        url = settings.SITE_URL + reverse(
            embed.url_name, kwargs={"partner": partner.slug, **embed.kwargs}
        )
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="1200" loading="lazy"></iframe>',
        url,
        embed.title,
    )


def posted_from_here(request: HttpRequest) -> bool:
    """Whether a POST comes from a page of this site (the embed itself), as the browser says."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in set(
        settings.CSRF_TRUSTED_ORIGINS
    )


def refused(
    request: HttpRequest, view: Callable[..., HttpResponse] | None, offered: str = ""
) -> HttpResponse:
    """A POST the browser does not say came from the embed (a page elsewhere, or a browser
    that names no origin): nothing is stored, and the page says so and offers the same action
    on our own site, where Django's CSRF check needs no such header; for a form the embed's
    pages share (the generic count), the site's page of the embed it came from, and the way
    back to that embed in the frame."""
    back = embed_form(request) if view is None and not offered else None
    return render(
        request,
        "supporters/embed_refused.html",
        {
            "own_page": (back and site_path_of(back)) or own_page(request, view, offered),
            "back": back,
        },
        status=403,
    )


def embed_form(request: HttpRequest) -> str | None:
    """The page of this partner's embeds a POST came from, as the browser names it (the
    embed's pages send ``Referrer-Policy: same-origin``, so only to this origin): its path
    when it is an action's embed (an ``…_embed`` URL) of the same partner in the request's
    language; else None."""
    partner = embed_partner(request)
    referer = urlsplit(request.headers.get("Referer", ""))
    if partner is None or referer.netloc != request.get_host():
        return None
    try:
        match = resolve(referer.path)
    except Resolver404:
        return None
    if not match.namespace.endswith("_embed") or match.kwargs.get("partner") != partner.slug:
        return None
    return referer.path


def site_path_of(embed_path: str) -> str | None:
    """The site's own page of the embed page at ``embed_path`` (as ``site_path``)."""
    try:
        match = resolve(embed_path)
    except Resolver404:
        return None
    if not match.namespace.endswith("_embed"):
        return None
    name = f"{match.namespace.removesuffix('_embed')}:{match.url_name}"
    try:
        return reverse(name, args=match.args, kwargs=site_kwargs(match))
    except NoReverseMatch:
        return None


def site_kwargs(match: Any) -> dict[str, Any]:
    """An embed URL's arguments as the site's own page takes them: without the partner."""
    return {name: value for name, value in match.kwargs.items() if name != "partner"}


def site_path(request: HttpRequest) -> str | None:
    """The address on the site itself of the page an embed's request shows: an app's embeds
    are named as its own pages in a namespace ending ``_embed`` (``letters_embed:action`` is
    ``letters:action``). None for a request that is no embed, or a page the site lacks."""
    match = request.resolver_match
    if match is None or not match.namespace.endswith("_embed"):
        return None
    kwargs = site_kwargs(match)
    name = f"{match.namespace.removesuffix('_embed')}:{match.url_name}"
    try:
        return reverse(name, args=match.args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def own_page(
    request: HttpRequest, view: Callable[..., HttpResponse] | None, offered: str = ""
) -> str:
    """The address of the same action on the site (``site_path``), checked to be served by
    the same view; for a view with no page of its own (None), the page named ``offered``;
    else the home page."""
    if view is None:
        match = request.resolver_match
        if offered and match is not None:
            kwargs = site_kwargs(match)
            try:
                return reverse(offered, kwargs=kwargs)
            except NoReverseMatch:
                pass
        return reverse("campaigns:home")
    found = site_path(request)
    if found and resolve(found).func is view:
        return found
    return reverse("campaigns:home")


def _partner(slug: str) -> Partner:
    partner = Partner.objects.active().filter(slug=slug).first()
    if partner is None:
        raise Http404
    return partner


def embeddable(
    view: Callable[..., HttpResponse],
    methods: tuple[str, ...] = ("GET", "POST"),
    offered: str = "",
) -> Callable[..., HttpResponse]:
    """``view`` served inside ``partner``'s iframe (the URL's ``partner`` argument). ``methods``
    are the view's own, answered 405 before anything else. ``offered``: for a view that only
    takes POSTs, the URL name of the site's page (with the same arguments) that a refused
    POST links to instead of it."""

    @wraps(view)
    @csrf_exempt
    @xframe_options_exempt
    @require_http_methods(list(methods))
    def embedded(request: HttpRequest, partner: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = _partner(partner)
        embedded_in(request, found)
        if request.method == "POST" and not posted_from_here(request):
            response = refused(request, view if "GET" in methods else None, offered)
        else:
            response = view(request, *args, **kwargs)
            if request.method == "POST" and response.has_header("Location"):
                # Every action form answers a stored (or pretended) action with a redirect to
                # a "check your mail" page: the frame's own, as the site's refuses frames.
                response["Location"] = reverse("embed:check_mail", args=[found.slug])
        response.csp_frame_ancestors = found.frame_ancestors()  # type: ignore[attr-defined]
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return embedded


def layout(request: HttpRequest) -> dict[str, object]:
    """Context processor: the layout an embeddable page extends (``page_layout``), and the
    partner whose embed this is (``embed_partner``)."""
    partner = embed_partner(request)
    return {
        "page_layout": EMBED_LAYOUT if partner is not None else PAGE_LAYOUT,
        "embed_partner": partner,
    }
