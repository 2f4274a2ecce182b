"""The public forms' bound fields give what Django's own would, attribute by attribute."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from picketline.letters.forms import LetterForm
from picketline.letters.models import LetterAction
from picketline.supporters.forms import SubscribeForm
from picketline.web.forms import LazyBoundField
from tests.letters.helpers import embassy_action, form_data

pytestmark = pytest.mark.django_db

ATTRIBUTES = [
    "name",
    "html_name",
    "html_initial_name",
    "html_initial_id",
    "label",
    "help_text",
    "auto_id",
    "id_for_label",
    "data",
    "initial",
]


def pairs(make):
    """The same form twice: with the product's bound fields and with Django's."""
    ours, django = make(), make(bound_field_class=forms.BoundField)
    assert ours.bound_field_class is LazyBoundField
    return ours, django


def assert_same(ours: forms.Form, django: forms.Form) -> None:
    for name in ours.fields:
        for attribute in ATTRIBUTES:
            assert getattr(ours[name], attribute) == getattr(django[name], attribute), (
                name,
                attribute,
            )
        assert str(ours[name].label_tag()) == str(django[name].label_tag())
        assert str(ours[name]) == str(django[name])
    assert ours.is_bound == django.is_bound
    if ours.is_bound:
        assert ours.is_valid() == django.is_valid()
        assert ours.errors == django.errors
        assert getattr(ours, "cleaned_data", None) == getattr(django, "cleaned_data", None)
    assert ours.as_div() == django.as_div()


@pytest.mark.parametrize(
    "policy",
    [
        LetterAction.EditPolicy.NOTHING,
        LetterAction.EditPolicy.PARAGRAPH,
        LetterAction.EditPolicy.WHOLE,
    ],
)
@pytest.mark.parametrize(
    "data",
    [None, form_data(), form_data(email="not an address", name="", consent_send_in_my_name=None)],
)
@pytest.mark.parametrize(
    "options", [{}, {"prefix": "letter"}, {"auto_id": "f-%s"}, {"auto_id": False}]
)
def test_the_letter_form_is_the_same(policy, data, options):
    action = embassy_action(edit_policy=policy, offer_copy=True)
    with translation.override("ru"):
        if data is not None and "prefix" in options:
            data = {f"letter-{key}": value for key, value in data.items()}
        ours, django = pairs(lambda **extra: LetterForm(data, action=action, **options, **extra))
        assert_same(ours, django)


@pytest.mark.parametrize("data", [None, {"email": "a@example.org"}, {"email": "x"}])
def test_the_subscription_form_is_the_same(data):
    with translation.override("de"):
        assert_same(*pairs(lambda **extra: SubscribeForm(data, partners=["IndustriALL"], **extra)))
