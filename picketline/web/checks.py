"""Deploy checks of our own (``picketline check --deploy``): a site address without https, and
what breaks only once the site runs on several machines.

On one machine no shared cache is needed: each web process keeps its own page cache, the
content version every process reads is one file in the data folder, and rate limits and
sessions are rows in the database. A second machine shares the database but not that file nor
those caches, so an organiser's edit would never reach its cached pages; and what supporters
upload sits on the disk of the machine that took it, unless the media are in object storage.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from picketline.lib.media_storage import is_local_disk

# Published media, and originals waiting for moderation.
MEDIA_STORAGES = ("default", "private")


@checks.register(checks.Tags.caches, deploy=True)
def several_machines_share_a_cache(app_configs: Any = None, **kwargs: Any) -> list:
    if settings.MACHINES > 1 and not settings.REDIS_URL:
        return [
            checks.Error(
                f"PICKETLINE_MACHINES is {settings.MACHINES} but REDIS_URL is not set: each "
                "machine would keep its own page cache and content version, and an edit made "
                "on one would not reach the pages the others have cached.",
                hint="Point REDIS_URL on every machine at one Redis (docs/deploy.md).",
                id="web.E001",
            )
        ]
    return []


@checks.register(deploy=True)
def several_machines_share_the_media(app_configs: Any = None, **kwargs: Any) -> list:
    on_disk = [alias for alias in MEDIA_STORAGES if is_local_disk(settings.STORAGES[alias])]
    if settings.MACHINES > 1 and on_disk:
        return [
            checks.Warning(
                f"PICKETLINE_MACHINES is {settings.MACHINES} and uploads are stored on the "
                f"local disk (STORAGES {', '.join(on_disk)}: MEDIA_ROOT, "
                "PICKETLINE_PRIVATE_MEDIA_ROOT): another machine cannot serve or process what "
                "one machine took in, unless both paths are one shared mount.",
                hint="Set MEDIA_S3_BUCKET and MEDIA_S3_PRIVATE_BUCKET (S3-compatible object "
                "storage), or mount one shared folder at both paths on every machine "
                "(docs/deploy.md).",
                id="web.W001",
            )
        ]
    return []


@checks.register(deploy=True)
def the_site_address_is_https(app_configs: Any = None, **kwargs: Any) -> list:
    if not settings.SITE_URL.startswith("https://"):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}: every link in our mail (confirmations, the "
                "privacy page, unsubscribing) is built on it, and mail providers take a "
                "one-click unsubscribe (RFC 8058) only from an https address.",
                hint="Serve the site over https and set SITE_URL=https://… (docs/deploy.md).",
                id="web.W002",
            )
        ]
    return []
