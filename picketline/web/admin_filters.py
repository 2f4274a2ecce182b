"""List filters for the organisers' lists of large tables: fixed choices, never the distinct
values of a column (Django's own filter of a field reads them from every row, on each page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class LanguageFilter(admin.SimpleListFilter):
    """By language, offered from the site's languages (rows have a ``language``)."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(settings.LANGUAGES)

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(language=self.value()) if self.value() else queryset
