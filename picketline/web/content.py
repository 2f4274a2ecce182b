"""The version of the public content: any organiser edit bumps it, and the anonymous page cache
keys every page by it, so an edit is visible at once on every page and in every process."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models, transaction

VERSION_KEY = "picketline:content-version"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def content_changed() -> None:
    """Call after anything public changes; runs once the transaction commits."""

    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (fresh cache): any new value invalidates
            cache.add(VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)


class PublicContent(models.Model):
    """Base for models shown on public pages: saving or deleting one refreshes cached pages."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        content_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed()
        return result
