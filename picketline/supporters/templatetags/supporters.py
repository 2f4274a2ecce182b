from typing import Any

from django import template

from picketline.supporters.abuse import new_pow_challenge
from picketline.supporters.attribution import AttributionForm, attribution_of
from picketline.supporters.forms import consent_wording
from picketline.supporters.models import Consent

register = template.Library()


@register.inclusion_tag("supporters/_pow.html")
def proof_of_work() -> dict[str, str]:
    """Hidden fields and our script for the optional proof of work; put it inside a form.
    Without JavaScript the fields stay empty and the form works as always."""
    return {"pow_challenge": new_pow_challenge()}


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
