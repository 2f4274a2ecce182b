"""Where an action came from: a partner's embed, a partner's link, a share channel.

The answer travels with the page, never with the visitor: an embed's address names its partner
(``supporters.embed``), a link carries ``?via=<partner>&src=link:<code>`` or
``?src=share:<channel>``, and every action form repeats what it was opened with in two hidden
fields. ``flow.take_new_action`` stores it on the action once, checked against the partners and
the fixed vocabulary of ``partners.models.is_source``, a link's code against the codes registered
for its partner (``Partner.link_codes``: campaign codes, so that no link can name a reader);
anything else is dropped, silently (a mangled link must not stop an action). No cookie, nothing
about the visitor.

A partner the form came through also takes part in it: the form offers its consent line
(``PARTNER_UPDATES``, never ticked in advance).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, QueryDict

from picketline.partners.models import EMBED, LINK, Partner, is_source

PARTNER_FIELD = "via"
SOURCE_FIELD = "src"
CONSENT_FIELD = "consent_partner"
_EMBEDDED = "picketline_embed_partner"


@dataclass(frozen=True)
class Attribution:
    partner: Partner | None = None
    source: str = ""


def embedded_in(request: HttpRequest, partner: Partner) -> None:
    """Mark ``request`` as coming through ``partner``'s embed (``supporters.embed``)."""
    setattr(request, _EMBEDDED, partner)


def embed_partner(request: HttpRequest) -> Partner | None:
    """The partner whose embed this request is for, or None."""
    return getattr(request, _EMBEDDED, None)


def attribution_of(request: HttpRequest) -> Attribution:
    """Where the action this request takes or shows comes from: the embed, else the fields
    the form carries (a POST) or the link (a GET)."""
    partner = embed_partner(request)
    if partner is not None:
        return Attribution(partner, EMBED)
    return link_attribution(request.POST if request.method == "POST" else request.GET)


def link_attribution(values: QueryDict) -> Attribution:
    """What a link's (or a form's) ``via`` and ``src`` say, with anything unknown dropped."""
    return checked_attribution(values.get(PARTNER_FIELD, ""), values.get(SOURCE_FIELD, ""))


def checked_attribution(slug: str, source: str) -> Attribution:
    """What a partner's slug and a source given with an action (a form's fields, an API
    body's) are worth: an active partner, a source of the vocabulary (never "embed", which
    only an embed's address is), a partner's link only with its partner and with a code
    registered for it (else plain "link"); anything else dropped."""
    slug, source = slug[:40], source[:40]
    partner = Partner.objects.active().filter(slug=slug).first() if slug else None
    if source == EMBED or not is_source(source):
        source = ""
    if partner is None and source.startswith(LINK):
        source = ""
    if partner is not None and (not source or source.startswith(LINK)):
        source = partner.registered_source(source)
    return Attribution(partner, source)


def is_link_given_out(values: QueryDict) -> bool:
    """Whether ``via`` and ``src`` are exactly a link the campaign gives out: an active partner,
    a code registered for it, a share channel. The page cache stores a page under such a query
    only (``web.cache.register_query_check``), so made-up values cannot flood it."""
    via, src = values.get(PARTNER_FIELD, ""), values.get(SOURCE_FIELD, "")
    found = link_attribution(values)
    return (found.partner.slug if found.partner else "") == via and found.source == (
        src or (LINK if via else "")
    )


class AttributionForm(forms.Form):
    """The hidden fields an action form carries its attribution in, and the partner's consent
    box. Rendered by ``{% attribution_fields %}``; read back by ``attribution_of``."""

    via = forms.CharField(required=False, widget=forms.HiddenInput)
    src = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, attribution: Attribution, data: object = None, label: str = "") -> None:
        partner = attribution.partner
        embedded = attribution.source == EMBED
        super().__init__(
            data,
            auto_id=False,  # no ids: they would repeat on a page with several forms
            initial={
                # An embed's partner is in its address: the fields stay empty there.
                PARTNER_FIELD: "" if embedded or partner is None else partner.slug,
                SOURCE_FIELD: "" if embedded else attribution.source,
            },
        )
        if partner is not None:
            self.fields[CONSENT_FIELD] = forms.BooleanField(
                label=label, required=False, initial=False
            )

    def consent_field(self) -> forms.BoundField | None:
        return self[CONSENT_FIELD] if CONSENT_FIELD in self.fields else None

    def hidden(self) -> list[forms.BoundField]:
        return [self[PARTNER_FIELD], self[SOURCE_FIELD]]


def consents_to_partner(request: HttpRequest) -> bool:
    """Whether the form posted has its partner's consent box ticked."""
    return request.method == "POST" and request.POST.get(CONSENT_FIELD) == "on"
