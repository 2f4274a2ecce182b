"""Organisers choose their language (their browser's): every label of our admin, a column's
heading, a filter's title, a form field's label, a section's name, in Russian, Belarusian and
German, not English. Django names a field with no ``verbose_name`` after its attribute
("sent at"), in English whatever the language, so each of our fields the admin shows has one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, label_for_field
from django.test import Client, RequestFactory
from django.utils import translation

from tests.accounts.test_each_role_sees_only_the_personal_data_it_needs import (  # noqa: F401
    world,  # a fixture: one object of nearly every kind, for the change forms
)
from tests.fixtures.accounts import login_verified, make_staff

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁёІіЎў]")
# Words German writes as English does (and abbreviations every language keeps).
SAME_IN_GERMAN = {
    "Name",
    "Status",
    "Partner",
    "Text",
    "Slogan",
    "Organisation",
    "Link",
    "Logo",
    "Website",
    "Hashtags",
}
# Django's own heading of the primary key, the same in every language.
KEPT = {"ID"}
# modeltranslation's field of one language: "Name [de]".
LANGUAGE_SUFFIX = re.compile(r" \[[a-z]{2}\]$")


def our_admins():
    for model in apps.get_models():
        if model.__module__.startswith("picketline.") and admin.site.is_registered(model):
            yield model, admin.site.get_model_admin(model)


def shown_labels(request) -> list[tuple[str, str]]:
    """(where, label) for every heading the admin of our models shows."""
    labels = []

    def field_labels(model, model_admin, where, names) -> None:
        for name in names:
            if callable(name) or name == "__str__":
                continue
            labels.append((f"{where} {name}", str(label_for_field(name, model, model_admin))))

    for model, model_admin in our_admins():
        where = f"{model._meta.label}"
        field_labels(model, model_admin, f"{where} column", model_admin.get_list_display(request))
        for item in model_admin.get_list_filter(request):
            if isinstance(item, (str, tuple)):
                path = item if isinstance(item, str) else item[0]
                field = get_fields_from_path(model, path)[-1]
                labels.append((f"{where} filter {path}", str(field.verbose_name)))
            else:
                labels.append((f"{where} filter {item.__name__}", str(item.title)))
        # The add form, and the change form of an object (read-only fields show there).
        for obj in (None, *model._default_manager.all()[:5]):
            form = model_admin.get_form(request, obj)
            admins = [(model, model_admin, form)] + [
                (inline.model, inline, None)
                for inline in model_admin.get_inline_instances(request, obj)
            ]
            for owner, owner_admin, owner_form in admins:
                place = where if owner is model else f"{where} inline {owner._meta.label}"
                for name, options in owner_admin.get_fieldsets(request, obj):
                    if name:
                        labels.append((f"{place} section", str(name)))
                    for entry in options["fields"]:
                        for field in entry if isinstance(entry, (list, tuple)) else [entry]:
                            label = (
                                owner_form.base_fields[field].label
                                if (owner_form is not None and field in owner_form.base_fields)
                                else None
                            )
                            if label is not None:
                                labels.append((f"{place} field {field}", str(label)))
                            else:
                                field_labels(owner, owner_admin, f"{place} field", [field])
    return labels


def english(where_label: tuple[str, str], language: str, in_english: dict[str, str]) -> bool:
    where, label = where_label
    if label in KEPT:
        return False
    if language in ("ru", "be"):
        return not CYRILLIC.search(label)
    same = LANGUAGE_SUFFIX.sub("", label).capitalize() in SAME_IN_GERMAN
    return label == in_english[where] and not same


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("language", ["ru", "be", "de"])
def test_every_heading_of_our_admin_is_in_the_organisers_language(language):
    request = RequestFactory().get("/admin/")
    request.user = make_staff("root")
    with translation.override("en"):
        in_english = dict(shown_labels(request))
    with translation.override(language):
        shown = shown_labels(request)
    assert len(shown) > 300, len(shown)
    left_in_english = sorted(
        {
            f"{where}: {label}"
            for where, label in shown
            if english((where, label), language, in_english)
        }
    )
    assert left_in_english == []


class Titles(HTMLParser):
    """The titles of the buttons beside each related field, and any attribute name that
    holds a quote (a title a translation's straight quote cut short)."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.broken: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.broken += [name for name, _value in attrs if '"' in name]
        if "related-widget-wrapper-link" in (dict(attrs).get("class") or ""):
            self.titles.append(dict(attrs).get("title", ""))


def test_the_buttons_beside_a_related_field_keep_their_whole_title_in_russian():
    client = Client()
    login_verified(client, make_staff("root"))
    page = client.get("/admin/mailings/mailing/add/", HTTP_ACCEPT_LANGUAGE="ru")
    titles = Titles()
    titles.feed(page.content.decode())
    assert titles.broken == []
    assert "Добавить ещё один объект типа «партнёр»" in titles.titles


def test_every_admin_page_names_the_organisers_pages_not_django():
    client = Client()
    login_verified(client, make_staff("root"))
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Picketline: страницы организаторов" in page
    assert "<title>Администрирование сайта | Организаторы Picketline</title>" in page
    assert "Django" not in page
