"""Picketline settings: one module, read from environment variables.

Every value has a safe default for the demo (SQLite in a data folder, mail kept on the machine);
outside demo mode a secret key must be given. Bad values stop start-up with a message naming the
variable (see ``picketline.lib.env``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from picketline.lib.database_url import parse_database_url
from picketline.lib.email_url import SMTP_BACKEND, parse_email_url
from picketline.lib.env import env_bool, env_int, env_list, env_secret, env_str
from picketline.lib.media_storage import media_storages
from picketline.lib.redis_caches import redis_caches

BASE_DIR = Path(__file__).resolve().parent

DEMO = env_bool("PICKETLINE_DEMO", False)
DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("PICKETLINE_DATA_DIR", "data")).resolve()


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        if len(key) < 40:
            raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters long")
        return key
    if not DEMO:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) is required outside demo mode; "
            "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Demo: a key kept in the data folder so sessions survive a restart.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()


def _encryption_keys() -> tuple[list[str], str]:
    """Keys for personal data at rest: PICKETLINE_ENCRYPTION_KEYS (newest first, comma-separated
    ``id:base64``) and PICKETLINE_INDEX_KEY for blind indexes; each also as ``*_FILE``."""
    from picketline.lib.crypto import new_key_text

    keys = env_secret("PICKETLINE_ENCRYPTION_KEYS")
    index_key = env_secret("PICKETLINE_INDEX_KEY")
    if keys and index_key:
        return [k.strip() for k in keys.replace("\n", ",").split(",") if k.strip()], index_key
    if not DEMO:
        raise ImproperlyConfigured(
            "PICKETLINE_ENCRYPTION_KEYS and PICKETLINE_INDEX_KEY (or their _FILE forms) are required "
            "outside demo mode; `picketline generate_keys` prints a fresh pair"
        )
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "encryption_keys"
    if not key_file.exists():
        key_file.write_text(
            new_key_text("k1") + "\n" + new_key_text("index") + "\n", encoding="utf-8"
        )
        key_file.chmod(0o600)
    lines = key_file.read_text(encoding="utf-8").split()
    return lines[:-1], lines[-1].partition(":")[2]


ENCRYPTION_KEYS, ENCRYPTION_INDEX_KEY = _encryption_keys()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEMO else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEMO else "").rstrip("/")
if not SITE_URL and not DEMO:
    raise ImproperlyConfigured(
        "SITE_URL is required outside demo mode, e.g. https://campaign.example"
    )

INSTALLED_APPS = [
    "modeltranslation",
    "picketline.accounts.admin_site.OrganiserAdminConfig",  # django.contrib.admin, our log-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "picketline.web",
    "picketline.mail",
    "picketline.jobs",
    "picketline.accounts",
    "picketline.campaigns",
    "picketline.partners",
    "picketline.supporters",
    "picketline.letters",
    "picketline.events",
    "picketline.submissions",
    "picketline.registers",
    "picketline.mailings",
    "picketline.api",
    "picketline.dashboard",
    "picketline.demo",
]

MIDDLEWARE = [
    # First: a cached public page is served before anything else runs (picketline.web.cache).
    "picketline.web.cache.AnonymousPageCacheMiddleware",
    "picketline.web.middleware.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "picketline.web.middleware.SecurityHeadersMiddleware",
    "picketline.web.middleware.UnusableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Right inside the CSRF check: fills every form's token hole (picketline.web.form_token).
    "picketline.web.form_token.FormTokenMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Once the user is known: a staff member's own language and clocks on the admin's pages.
    "picketline.accounts.preferences.StaffPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "picketline.urls"
WSGI_APPLICATION = "picketline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "picketline.web.context_processors.site",
                "picketline.campaigns.context_processors.site_name",
                # {% csrf_token %} writes a hole the middleware fills: pages with a form can
                # be cached (picketline.web.form_token).
                "picketline.web.form_token.form_token_hole",
                # Which layout an embeddable action page extends (picketline.supporters.embed).
                "picketline.supporters.embed.layout",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise.
_default_db = f"sqlite:///{DATA_DIR / 'picketline.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_db)
DATABASES = {"default": parse_database_url(DATABASE_URL)}  # picketline.lib.database_url
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. "default" (pages, data forms need) is local memory unless Redis is configured.
# With Redis, "limits" holds the rate-limit and log-in counters (picketline.web.limits);
# without it they are rows in the database (web.Counter), shared by every process all the same.
REDIS_URL = env_str("REDIS_URL", "")
# How many machines run web servers or workers against this database; more than one needs
# REDIS_URL and shared media (deploy checks web.E001, web.W001; docs/deploy.md).
MACHINES = env_int("PICKETLINE_MACHINES", 1, minimum=1)
# The release this process runs (a git commit, a version): every key of the "default" cache
# carries it, so pages and records cached by another release are never served (lib.release).
# Unset, the package's files name it.
PICKETLINE_RELEASE = env_str("PICKETLINE_RELEASE", "")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)  # the page cache and the counters
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "picketline.lib.release.cache_key",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Languages: interface and organiser content in these four; English is the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("be", _("Belarusian")),
    ("de", _("German")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["picketline.web.formats"]  # date formats Django lacks (Belarusian)

# What supporters send in (picketline.submissions). Originals are kept apart from
# published media (STORAGES["private"]: this folder, or a bucket of their own with
# MEDIA_S3_PRIVATE_BUCKET) and never served to the public; they are deleted
# SUBMISSIONS_KEEP_ORIGINALS_DAYS after the published copy is made. On S3 this folder still
# holds uploads in flight and the worker's scratch copies.
SUBMISSIONS_PRIVATE_ROOT = Path(
    env_str("PICKETLINE_PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private" / "submissions"))
)

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    **media_storages(SUBMISSIONS_PRIVATE_ROOT),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Media are served by our own views, never straight from disk by another user's process: files
# stored through Django's storage are the owner's alone (its default is readable by everyone).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WHITENOISE_USE_FINDERS = DEBUG

SUBMISSIONS_VIDEO_MAX_BYTES = env_int("PICKETLINE_VIDEO_MAX_MB", 200, minimum=1) * 1_000_000
SUBMISSIONS_IMAGE_MAX_BYTES = env_int("PICKETLINE_IMAGE_MAX_MB", 10, minimum=1) * 1_000_000
SUBMISSIONS_KEEP_ORIGINALS_DAYS = env_int("PICKETLINE_KEEP_ORIGINALS_DAYS", 14, minimum=0)

# E-mail: every message goes through the database outbox (picketline.mail); this is how the
# worker hands it on. Demo mode keeps everything in the local mailbox.
EMAIL_URL = env_str("EMAIL_URL", "mailbox:" if DEMO else "")
if not EMAIL_URL:
    raise ImproperlyConfigured(
        "EMAIL_URL is required outside demo mode, e.g. smtp+tls://user:pw@host"
    )
globals().update(parse_email_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Picketline <campaign@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEMO and EMAIL_BACKEND == SMTP_BACKEND:  # noqa: F821 - set just above
    raise ImproperlyConfigured("Demo mode never sends mail off the machine: drop EMAIL_URL")

# The outbox: a worker's claim on a message expires after this long (a killed worker's messages
# go again after it); a live worker renews its claim while it sends.
OUTBOX_LEASE_SECONDS = env_int("PICKETLINE_OUTBOX_LEASE_SECONDS", 120, minimum=1)
# Sent (and failed) messages hold letters with their writers' names; they are deleted this many
# days after they went (picketline.jobs.jobs.purge_sent_mail).
SENT_MAIL_KEEP_DAYS = env_int("PICKETLINE_SENT_MAIL_KEEP_DAYS", 30, minimum=1)
# How long the operators keep a backup (docs/deploy.md deletes older ones with this figure): an
# erasure reaches the backups only as they are deleted, and the policy and the erasure pages
# say within how many days.
BACKUP_KEEP_DAYS = env_int("PICKETLINE_BACKUP_KEEP_DAYS", 30, minimum=1)

# Health (/readyz, `picketline status`): a worker whose heartbeat is older than this is taken
# for dead; mail due for longer than this is late.
WORKER_STALE_SECONDS = env_int("PICKETLINE_WORKER_STALE_SECONDS", 60, minimum=10)
OUTBOX_LATE_SECONDS = env_int("PICKETLINE_OUTBOX_LATE_SECONDS", 900, minimum=1)
# How often moderators are mailed what waits for them (only when something waits and the
# queue changed since the last mail).
MODERATION_DIGEST_MINUTES = env_int("PICKETLINE_MODERATION_DIGEST_MINUTES", 1440, minimum=5)

# Background work: Django's tasks API with the database backend; `picketline worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

# Security. Production defaults; the demo runs over plain HTTP on loopback.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Behind the TLS proxy the README asks for, the proxy says "https" in X-Forwarded-Proto.
# Believed once proxies are trusted (or TRUST_PROXY_SSL_HEADER says so); the header is
# dropped from any other peer (picketline.web.middleware.ForwardedProtoMiddleware), so a
# client cannot claim HTTPS on a plain connection.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if TRUSTED_PROXIES or env_bool("TRUST_PROXY_SSL_HEADER", False)
    else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEMO and not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEMO else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' preload list is hard to undo, so it is the operator's explicit choice;
# without it Django's deploy check warns (W021), which we silence only while it is off.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEMO and not DEBUG
CSRF_COOKIE_SECURE = not DEMO and not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form's cookie has no expiry date, so the browser keeps it for its session only (Django's
# default is a year): the privacy policy says so, and a year-long cookie would show on a
# searched device that its owner once opened a campaign form. A browser that reopens its last
# session's tabs keeps it across a restart; with an expiry date, every browser would, until then.
CSRF_COOKIE_AGE = None
# So a form sent after the browser deleted its cookie gets a page in the visitor's language.
CSRF_FAILURE_VIEW = "picketline.web.views.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Notices after a POST (a consent withdrawn on the privacy page, the admin's) are kept in the
# session, which the privacy page has open anyway: the default keeps them in a readable cookie,
# a third cookie naming what the person did, which the policy does not list.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"

# Supporters (picketline.supporters): how long unconfirmed and confirmed data are kept. The
# campaign's end comes from the campaigns app; SUPPORTERS_CAMPAIGN_ENDS_ON (ISO date) is for
# a site without a campaign in the database.
SUPPORTERS_UNCONFIRMED_DAYS = env_int("SUPPORTERS_UNCONFIRMED_DAYS", 7, minimum=1)
SUPPORTERS_RETENTION_MONTHS = env_int("SUPPORTERS_RETENTION_MONTHS", 24, minimum=1)
SUPPORTERS_CAMPAIGN_ENDS_ON = env_str("SUPPORTERS_CAMPAIGN_ENDS_ON", "")
OTP_TOTP_ISSUER = "Picketline"

# Events (picketline.events): a registrant's own link (which can show a private join link) and a
# host's report link stop working this many days after the event ends; a registrant's link
# dies at once when the registration is cancelled or the person erased, a host's when erased.
EVENTS_LINK_DAYS_AFTER = env_int("PICKETLINE_EVENT_LINK_DAYS", 7, minimum=0)
EVENTS_REPORT_LINK_DAYS_AFTER = env_int("PICKETLINE_REPORT_LINK_DAYS", 30, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No line holds a client address or a token, and control characters are escaped.
    "filters": {
        "private": {"()": "picketline.lib.access_log.PrivateLogFilter"},
        # A service away for a while is logged once, as a warning (picketline.web.unavailable).
        "said_once": {"()": "picketline.web.unavailable.SaidOnce"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Instead of Django's defaults, whose mail to ADMINS holds the whole request.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's request logger would print client addresses in some messages; we keep it quiet.
        "django.request": {"level": "ERROR", "filters": ["said_once"]},
        "django.server": {"level": "WARNING"},
    },
}
