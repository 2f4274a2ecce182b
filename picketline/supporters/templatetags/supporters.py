from typing import Any

from django import forms, template
from django.conf import settings
from django.urls import reverse

from picketline.campaigns.share import share_links
from picketline.lib.small_counts import shown_count
from picketline.supporters import safety
from picketline.supporters.attribution import AttributionForm, attribution_of, embed_partner
from picketline.supporters.embed import site_path
from picketline.supporters.forms import consent_wording
from picketline.supporters.models import AnonymousCount, Consent

register = template.Library()


@register.inclusion_tag("supporters/_safety_warnings.html", takes_context=True)
def safety_warnings(context, form, title: str) -> dict[str, Any]:
    """The warnings for supporters in a country marked as dangerous, with the safer ways to
    help (``supporters.safety``); put it above the form, outside it (it holds forms of its
    own). ``title`` is what a shared link says."""
    request = context["request"]
    warnings = form.safety_warnings()
    key = path_without_language(request.path)
    partner = embed_partner(request)
    return {
        "warnings": warnings,
        "shown": any(warning.shown for warning in warnings),
        "csrf_token": context.get("csrf_token"),
        "embed_partner": partner,
        "count_url": reverse("embed:count_support", args=[partner.slug])
        if partner
        else reverse("supporters:count_support"),
        "count_token": safety.count_token(key),
        # Who counts is someone in a country marked as dangerous: a small number is not shown.
        "count": shown_count(AnonymousCount.count_for(key)) if warnings else None,
        # The page on the site itself, not a partner's embed of it, which would credit that
        # partner with what people do after following a link shared from it.
        "share_links": share_links(title, settings.SITE_URL + (site_path(request) or request.path)),
    }


@register.inclusion_tag("supporters/_safety_acknowledged.html")
def safety_acknowledged(form) -> dict[str, Any]:
    """The box to go on after a warning, inside the form, shown with a warning only."""
    return {"field": form[safety.ACKNOWLEDGED], "shown": form.may_go_on_after_warning()}


def path_without_language(path: str) -> str:
    """``/ru/events/x/`` → ``/events/x/``: the same action in every language."""
    first, _slash, rest = path.lstrip("/").partition("/")
    if first in {code for code, _name in settings.LANGUAGES}:
        return "/" + rest
    return path


@register.simple_tag(takes_context=True)
def attribution_form(context: dict[str, Any]) -> AttributionForm | None:
    """The hidden fields that carry where this form came from, and the consent box of the
    partner it came through (``supporters.attribution``)."""
    request = context.get("request")
    if request is None:
        return None
    attribution = attribution_of(request)
    label = (
        consent_wording(Consent.Purpose.PARTNER_UPDATES, attribution.partner.name)
        if attribution.partner is not None
        else ""
    )
    data = request.POST if request.method == "POST" else None
    return AttributionForm(attribution, data, label=label)


@register.simple_tag
def first_field_in_error(form: forms.Form) -> forms.BoundField | None:
    """The first visible field with an error, in the order the page shows the fields: a form
    whose template groups them in another order than its own says so in
    ``fields_in_page_order()``; the rest follow in the form's order."""
    in_page_order = getattr(form, "fields_in_page_order", None)
    shown = list(in_page_order()) if in_page_order else []
    names = {field.name for field in shown}
    shown += [field for field in form if field.name not in names]
    return next((field for field in shown if field.errors and not field.is_hidden), None)
