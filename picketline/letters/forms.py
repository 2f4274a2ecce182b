from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from picketline.letters.countries import OFFERED, OTHER, country_choices
from picketline.letters.models import LetterAction, placeholders_from_words
from picketline.supporters.forms import SupporterFields
from picketline.supporters.models import Consent
from picketline.supporters.safety import CountryAsked
from picketline.web.validators import refuse_control_characters


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *country_choices()]


class CountryField(forms.ChoiceField):
    def valid_value(self, value: str) -> bool:
        # The codes do not depend on the language: no need to build the named list to check.
        return value in OFFERED or value == OTHER


class LetterForm(SupporterFields):
    offered_consents = [
        Consent.Purpose.SEND_IN_MY_NAME,
        Consent.Purpose.PUBLISH_NAME,
        Consent.Purpose.ORGANISER_UPDATES,
    ]
    # No letter ever goes in the name of someone in a country marked as dangerous: the view
    # answers with its own warning page before it reads the form (``letters.views``).
    countries_asked = (CountryAsked("country", may_go_on=False),)

    # Declared here, renamed to "country" in __init__ (it replaces the supporters' free-text
    # field of that name): a class-level field is copied per form, not rebuilt.
    letter_country = CountryField(
        label=_("Your country"),
        choices=_country_choices,
        help_text=_("It decides who receives your letter."),
    )
    organisation = forms.CharField(
        label=_("Your union or organisation (optional)"), max_length=200, required=False
    )
    role = forms.CharField(label=_("Your role in it (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, action: LetterAction, **kwargs: Any) -> None:
        self.action = action
        super().__init__(*args, **kwargs)

    def build_fields(self) -> None:
        super().build_fields()
        self.fields["country"] = self.fields.pop("letter_country")
        self.fields["language"].label = _("Language of your letter")
        # Sending in the supporter's name is what this form does: that box must be ticked.
        self.fields[f"consent_{Consent.Purpose.SEND_IN_MY_NAME}"].required = True
        chosen = self.data.get("country") if self.is_bound else self.initial.get("country")
        if self.action.postal_targets_for(chosen or ""):
            # Printed and posted by the supporter: we send nothing, so need no address and
            # no consent to send in their name.
            self.fields["email"].required = False
            self.fields[f"consent_{Consent.Purpose.SEND_IN_MY_NAME}"].required = False
        if self.action.edit_policy == LetterAction.EditPolicy.PARAGRAPH:
            self.fields["personal_paragraph"] = forms.CharField(
                label=_("A paragraph in your own words (optional)"),
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=2000,
                required=False,
            )
        elif self.action.edit_policy == LetterAction.EditPolicy.WHOLE:
            self.fields["body"] = forms.CharField(
                label=_("Your letter"),
                widget=forms.Textarea(attrs={"rows": 16}),
                max_length=8000,
                required=False,
                help_text=_("Change anything you like. Leave it empty to send our text."),
            )
        if self.action.offer_copy:
            self.fields["send_copy"] = forms.BooleanField(label=_("Send me a copy"), required=False)
        self.fields["website"] = self.fields.pop("website")

    def clean_body(self) -> str:
        return placeholders_from_words(self.cleaned_data.get("body", ""))

    def letter_fields(self) -> list[forms.BoundField]:
        names = ["organisation", "role", "personal_paragraph", "body", "send_copy"]
        return [self[name] for name in names if name in self.fields]

    def fields_in_page_order(self) -> list[forms.BoundField]:
        return [*self.supporter_fields(), *self.letter_fields(), *self.consent_fields()]


class ReplyAnswerForm(forms.Form):
    """A letter's writer says whether a recipient replied."""

    answer = forms.ChoiceField(
        label=_("Did a recipient reply to you?"),
        choices=[("yes", _("Yes, I got a reply")), ("no", _("No reply so far"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What did they write? (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self.fields)
