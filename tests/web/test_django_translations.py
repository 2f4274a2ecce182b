"""Django's own strings (form errors, dates) come in the page's language."""

import datetime

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import date_format


class AddressForm(forms.Form):
    email = forms.EmailField()


@pytest.mark.parametrize(
    ("language", "required", "friday"),
    [
        ("ru", "Обязательное поле.", "пятница"),
        ("de", "Dieses Feld ist zwingend erforderlich.", "Freitag"),
    ],
)
def test_djangos_own_messages_and_dates_are_translated(language, required, friday):
    with translation.override(language):
        form = AddressForm({"email": ""})
        assert form.errors["email"] == [required]
        assert date_format(datetime.date(2024, 12, 13), "l").lower() == friday.lower()


def test_an_invalid_address_is_refused_in_belarusian():
    with translation.override("be"):
        form = AddressForm({"email": "not an address"})
        [error] = form.errors["email"]
    assert error != "Enter a valid email address."
