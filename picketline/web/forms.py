"""Form pieces shared by the public pages."""

from __future__ import annotations

from django import forms
from django.forms.utils import pretty_name
from django.utils.functional import cached_property


class LazyBoundField(forms.BoundField):
    """Django's ``BoundField``, which works out its names, label and help text when first
    asked rather than when it is made.

    Cleaning a submitted form makes a bound field per field only to read its data by name, and
    Django's own builds all six attributes each time: a twentieth of a letter submission. Every
    attribute has the value Django's would have; a form that is shown reads them as before.
    """

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        self.form = form
        self.field = field
        self.name = name

    @cached_property
    def html_name(self) -> str:
        return self.form.add_prefix(self.name)

    @cached_property
    def html_initial_name(self) -> str:
        return self.form.add_initial_prefix(self.name)

    @cached_property
    def html_initial_id(self) -> str:
        return self.form.add_initial_prefix(self.auto_id)

    @cached_property
    def label(self) -> str:
        return pretty_name(self.name) if self.field.label is None else self.field.label

    @cached_property
    def help_text(self) -> str:
        return self.field.help_text or ""

    @cached_property
    def renderer(self):  # noqa: ANN201 - a form renderer
        return self.form.renderer
