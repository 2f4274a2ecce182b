"""The supporter part of every action form: who you are, what you consent to, and a honeypot.

Use ``SupporterFields`` as the base of an action's form::

    class LetterForm(SupporterFields):
        offered_consents = [Consent.Purpose.ORGANISER_UPDATES]
        message = forms.CharField(...)

    form = LetterForm(request.POST)
    if form.is_honeypot_filled():
        return redirect(thanks)            # looks accepted; nothing stored, nothing sent
    if form.is_valid() and not rate_limited(request, "letters", email=form.cleaned_data["email"]):
        letter = Letter(language=form.chosen_language(), ...)
        flow.take_new_action(form, letter, request)  # supporter, letter, mail, consents

Consent boxes are never ticked in advance and never required by an action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from picketline.supporters import safety
from picketline.supporters.attribution import attribution_of, consents_to_partner
from picketline.supporters.models import ConfirmableAction, Consent, DangerousCountry, Supporter
from picketline.supporters.safety import ACKNOWLEDGED, CountryAsked
from picketline.web.countries import CountryField, country_name
from picketline.web.validators import refuse_control_characters

HONEYPOT_FIELD = "website"


_WORDINGS: dict[str, Any] = {
    Consent.Purpose.ORGANISER_UPDATES: _(
        "Keep me informed by e-mail about this campaign. Being on this list tells the organiser "
        "that I support jailed trade unionists in Belarus: that is my political opinion and may "
        "point to trade-union membership, both specially protected personal data. I can "
        "withdraw this at any time on the privacy page; a link is in every message."
    ),
    Consent.Purpose.SEND_IN_MY_NAME: _(
        "Send this in my name to the recipients shown. They will see my name and e-mail "
        "address and that I support jailed trade unionists: my political opinion, which is "
        "specially protected personal data."
    ),
    Consent.Purpose.PUBLISH_NAME: _(
        "Publish my name on this site as a supporter. Anyone can then see my political opinion, "
        "and it may suggest that I am a trade-union member; both are specially protected "
        "personal data. I can withdraw this at any time and the name comes down."
    ),
    Consent.Purpose.PUBLISH_FACE_VOICE: _(
        "Publish my video, with my face and voice, on this site and the campaign's channels. "
        "It shows my political opinion and may suggest trade-union membership, both specially "
        "protected personal data. I can withdraw this at any time: the video then comes down "
        "from this site at once, and the organisers are told to take it down from the "
        "campaign's channels; copies others have made are beyond our reach."
    ),
}


def _partner_wording(partner: str) -> str:
    return gettext(
        "Give my name and e-mail address to %(partner)s so that they can keep me informed. "
        "This tells them that I support jailed trade unionists in Belarus: my political opinion, "
        "which may point to trade-union membership, both specially protected personal data. I "
        "can withdraw this at any time on the privacy page."
    ) % {"partner": partner}


def consent_wording(purpose: str, partner: str = "") -> str:
    """The exact consent text for ``purpose`` in the active language."""
    if purpose == Consent.Purpose.PARTNER_UPDATES:
        return _partner_wording(partner)
    return str(_WORDINGS[purpose])


consent_wording_lazy = lazy(consent_wording, str)


class SupporterFields(forms.Form):
    # Which optional consents this form offers, as unticked boxes.
    offered_consents: ClassVar[list[str]] = [Consent.Purpose.ORGANISER_UPDATES]
    name_required: ClassVar[bool] = True
    # The fields that name a country, what giving one marked as dangerous there exposes, and
    # whether the sender may go on once warned (``supporters.safety``).
    countries_asked: ClassVar[tuple[CountryAsked, ...]] = (CountryAsked("country"),)

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    country = CountryField(
        label=_("Country (optional)"),
        required=False,
        help_text=_("Only if you wish: it helps us say where support comes from."),
    )
    language = forms.ChoiceField(
        label=_("Language for our e-mails"), choices=settings.LANGUAGES, required=False
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.build_fields()
        # Names and titles go into mail headers and exports: no line breaks, no NUL.
        refuse_control_characters(self.fields)
        self.initial = {"language": (get_language() or "en")[:2], **self.initial}

    def build_fields(self) -> None:
        """Change ``self.fields`` (a fresh copy of the declared fields) into this form's."""
        self.fields["name"].required = self.name_required
        for purpose in self.offered_consents:
            self.fields[f"consent_{purpose}"] = forms.BooleanField(
                label=consent_wording_lazy(purpose), required=False, initial=False
            )
        if any(asked.may_go_on for asked in self.countries_asked):
            # Shown only with a warning; never ticked in advance.
            self.fields[ACKNOWLEDGED] = forms.BooleanField(
                label=_("I have read the warning, and I still want to send this form."),
                required=False,
                initial=False,
            )
        # The honeypot goes last so that it does not sit between the fields people fill.
        self.fields[HONEYPOT_FIELD] = self.fields.pop(HONEYPOT_FIELD)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.refuse_unwarned_danger()
        return data

    def country_given(self, field: str) -> str:
        """The country code ``field`` cleaned to ('' if none)."""
        value = self.cleaned_data.get(field)
        return value if isinstance(value, str) else ""

    def refuse_unwarned_danger(self) -> None:
        """Refuse the form, so that nothing is stored, while it names a country marked as
        dangerous and its sender has not said they read the warning; for good where the form
        may not go on from there."""
        self.danger_found: list[tuple[CountryAsked, str]] = []
        acknowledged = bool(self.cleaned_data.get(ACKNOWLEDGED))
        for asked in self.countries_asked:
            code = self.country_given(asked.field)
            if not safety.is_dangerous(code):
                continue
            self.danger_found.append((asked, code))
            named = {"country": country_name(code)}
            if not asked.may_go_on:
                self.add_error(
                    asked.field,
                    gettext(
                        "For the safety of the people there, we take nothing like this from "
                        "%(country)s. Please read why above the form."
                    )
                    % named,
                )
            elif not acknowledged:
                self.add_error(
                    asked.field,
                    gettext(
                        "%(country)s is marked as dangerous for supporters of this campaign. "
                        "Please read the warning above the form: choose another country, or "
                        "tick that you have read it and send the form again."
                    )
                    % named,
                )

    def safety_warnings(self) -> list[safety.Warning]:
        """The warnings this page holds: the ones found in what was sent, shown, and one for
        each dangerous country a list of countries offers, hidden until the script sees it
        chosen."""
        found = getattr(self, "danger_found", [])
        warnings = [
            safety.Warning(asked, code, country_name(code), shown=True) for asked, code in found
        ]
        codes = DangerousCountry.objects.codes()
        for asked in self.countries_asked:
            field = self.fields.get(asked.field)
            if not isinstance(field, CountryField):
                continue
            for code, name in field.choices:
                if code in codes and (asked, code) not in found:
                    warnings.append(safety.Warning(asked, code, name, shown=False))
        return warnings

    def may_go_on_after_warning(self) -> bool:
        """Whether the box to go on is shown now (with a warning the server found)."""
        found = getattr(self, "danger_found", [])
        return bool(found) and all(asked.may_go_on for asked, _code in found)

    def is_honeypot_filled(self) -> bool:
        """A bot filled the field people never see: answer as if accepted, do nothing."""
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("consent_")]

    def consents_optional(self) -> bool:
        """Whether every box offered may be left unticked (the heading says so only then)."""
        return not any(field.field.required for field in self.consent_fields())

    def supporter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "email", "country", "language")]

    def fields_in_page_order(self) -> list[forms.BoundField]:
        """The fields in the order an action's page shows them: its own, then the supporter's,
        then the consents (a page whose order differs says its own). The summary above a form
        sent back links the first of them in error (``{% first_field_in_error %}``)."""
        theirs = [*self.supporter_fields(), *self.consent_fields()]
        names = {field.name for field in theirs}
        return [*(field for field in self if field.name not in names), *theirs]

    def chosen_language(self) -> str:
        chosen = self.cleaned_data.get("language") if hasattr(self, "cleaned_data") else ""
        return chosen or (get_language() or settings.LANGUAGE_CODE)[:2]

    def save_supporter(self, given_at: datetime | None = None) -> Supporter:
        """The supporter of the address typed; ``given_at``: the ``created_at`` of the action
        the form stores (see ``Supporter.get_or_create_for_email``). A known one whose row
        says another country remembers one marked as dangerous given here (only ever adding
        caution)."""
        data = self.cleaned_data
        country = data.get("country", "")
        supporter, _created = Supporter.get_or_create_for_email(
            data["email"],
            name=data.get("name", ""),
            language=self.chosen_language(),
            country=country,
            given_at=given_at,
            dangerous_country=country if safety.is_dangerous(country) else "",
        )
        return supporter

    def record_consents(
        self,
        supporter: Supporter,
        request: HttpRequest,
        action: ConfirmableAction | None = None,
    ) -> list[Consent]:
        """Record every ticked box with the exact wording shown, in the page's language."""
        return Consent.objects.bulk_create(self.consents_given(supporter, request, action))

    def consents_given(
        self,
        supporter: Supporter,
        request: HttpRequest,
        action: ConfirmableAction | None = None,
    ) -> list[Consent]:
        """The consents ``record_consents`` writes, unsaved."""
        shown_in = (get_language() or settings.LANGUAGE_CODE)[:8]
        given = []
        for purpose in self.offered_consents:
            if self.cleaned_data.get(f"consent_{purpose}"):
                given.append(
                    Consent.given(
                        supporter,
                        purpose,
                        consent_wording(purpose),
                        shown_in,
                        request.path,
                        action=action,
                    )
                )
        # The partner the form came through takes part in it (supporters.attribution).
        partner = attribution_of(request).partner
        if partner is not None and consents_to_partner(request):
            given.append(
                Consent.given(
                    supporter,
                    Consent.Purpose.PARTNER_UPDATES,
                    consent_wording(Consent.Purpose.PARTNER_UPDATES, partner.name),
                    shown_in,
                    request.path,
                    partner=partner,
                    action=action,
                )
            )
        return given

    def unsaved_supporter(self) -> Supporter:
        """The supporter ``save_supporter`` creates when the address is new, unsaved."""
        data = self.cleaned_data
        return Supporter.unsaved(
            data.get("email", ""),
            name=data.get("name", ""),
            language=self.chosen_language(),
            country=data.get("country", ""),
        )


class SubscribeForm(SupporterFields):
    """ "Keep me informed": the one form where the box is the point of the form, so it must be
    ticked here — by the visitor; it is never ticked in advance."""

    name_required = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Your name (optional)")
        self.fields[f"consent_{Consent.Purpose.ORGANISER_UPDATES}"].required = True


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)

    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())
