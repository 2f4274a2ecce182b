"""Where uploaded media are stored: Django's ``STORAGES`` entries, read from the environment.

Two storages, so that what waits for a moderator never shares a place with what is published:

- ``default``: published copies (re-encoded videos, posters, logos, photos);
- ``private``: the originals supporters upload, never served to the public.

On local disk (the default) they are ``MEDIA_ROOT`` and ``PICKETLINE_PRIVATE_MEDIA_ROOT``. With
``MEDIA_S3_BUCKET`` set they are two buckets of S3-compatible object storage (django-storages);
``MEDIA_S3_PRIVATE_BUCKET`` must name a different bucket. Objects are written with the private
ACL and the site never hands out their URLs: every file reaches a visitor through our own views.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

from picketline.lib.env import env_secret, env_str

LOCAL_DISK = "django.core.files.storage.FileSystemStorage"
# How long a request waits for the object storage: to connect, for each answer, and how many
# tries in all. The worst case, (5 + 10) * 2 s, stays well inside picketline serve's 60 s.
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 10
ATTEMPTS = 2
S3 = "storages.backends.s3.S3Storage"
ADDRESSING_STYLES = {"", "path", "virtual", "auto"}


def media_storages(private_root: Path, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``default`` and ``private`` entries of ``STORAGES``."""
    bucket = env_str("MEDIA_S3_BUCKET", "", environ)
    private_bucket = env_str("MEDIA_S3_PRIVATE_BUCKET", "", environ)
    if not bucket and not private_bucket:
        return {
            "default": {"BACKEND": LOCAL_DISK},
            "private": {"BACKEND": LOCAL_DISK, "OPTIONS": {"location": str(private_root)}},
        }
    if not bucket or not private_bucket:
        raise ImproperlyConfigured(
            "Set both MEDIA_S3_BUCKET (published media) and MEDIA_S3_PRIVATE_BUCKET (originals)"
        )
    if bucket == private_bucket:
        raise ImproperlyConfigured(
            "MEDIA_S3_PRIVATE_BUCKET must differ from MEDIA_S3_BUCKET: originals waiting for "
            "moderation never share a bucket with published media"
        )
    style = env_str("MEDIA_S3_ADDRESSING_STYLE", "", environ)
    if style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured("MEDIA_S3_ADDRESSING_STYLE must be path, virtual or auto")
    client_config = Config(
        s3={"addressing_style": style} if style else None,
        # botocore's defaults wait a minute to connect and a minute for each answer, four more
        # times over: a bucket that stopped answering would hold a supporter's upload until
        # the web server killed the request. Given up on well before, the upload is answered
        # 503 (``web.unavailable``), "send it again".
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"mode": "standard", "total_max_attempts": ATTEMPTS},
    )
    common: dict[str, Any] = {
        "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "", environ) or None,
        "region_name": env_str("MEDIA_S3_REGION", "", environ) or None,
        "access_key": env_secret("MEDIA_S3_ACCESS_KEY_ID", environ) or None,
        "secret_key": env_secret("MEDIA_S3_SECRET_ACCESS_KEY", environ) or None,
        "client_config": client_config,  # it also carries the addressing style
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        # Names are random: never overwritten, and no look-up before each write.
        "file_overwrite": True,
    }
    return {
        "default": {"BACKEND": S3, "OPTIONS": {**common, "bucket_name": bucket}},
        "private": {"BACKEND": S3, "OPTIONS": {**common, "bucket_name": private_bucket}},
    }


def is_local_disk(storage: Mapping[str, Any]) -> bool:
    return storage["BACKEND"] == LOCAL_DISK
