"""Django's admin log (``django_admin_log``) without what supporters typed.

Django writes ``str(obj)`` of every object added, changed or deleted in the admin into
``LogEntry.object_repr``, in clear, and erasure never reaches that table. For a model that
holds what a supporter wrote (a hosted action's ``__str__`` is its host's title) the admin
logs through ``NeutralAdminLog`` instead: the entry names the kind and the number,
"Hosted action #12", and the change message keeps the changed fields' labels, never a value.
Lists and pages still show ``__str__``; only what is stored in the log is neutral.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.text import capfirst


def neutral_repr(model: type[models.Model], pk: Any) -> str:
    """What the admin log calls an object: its kind and number, in the untranslated wording
    Django also stores change messages in."""
    with translation.override(None):
        return f"{capfirst(model._meta.verbose_name)} #{pk}"


class NeutralAdminLog(admin.ModelAdmin):
    """A ModelAdmin whose log entries name objects by kind and number only."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return self.write_log_entries(request, [obj], ADDITION, message)[0]

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return self.write_log_entries(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]) -> Any:
        return self.write_log_entries(request, queryset, DELETION, "")

    def write_log_entries(
        self, request: HttpRequest, objects: Iterable[models.Model], flag: int, message: Any
    ) -> list[LogEntry]:
        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            LogEntry(
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                object_repr=neutral_repr(type(obj), obj.pk),
                action_flag=flag,
                change_message=message,
            )
            for obj in objects
        ]
        return LogEntry.objects.bulk_create(entries)

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict]:
        """Django's message (which fields changed, which inline rows were added, changed or
        deleted), with each inline row named by kind and number instead of its ``str()``."""
        message = super().construct_change_message(request, form, formsets, add)
        # Django lists the rows of each formset in this order: added, changed, deleted.
        rows = [
            row
            for formset in formsets or []
            for row in (
                *formset.new_objects,
                *(changed for changed, _fields in formset.changed_objects),
                *formset.deleted_objects,
            )
        ]
        named = iter(rows)
        for part in message:
            for detail in part.values():
                if "object" in detail:
                    row = next(named, None)
                    pk = row.pk if row is not None else None
                    detail["object"] = f"#{pk}" if pk is not None else ""
        return message
