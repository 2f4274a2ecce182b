"""Turn an ``EMAIL_URL`` into Django's e-mail settings.

Schemes:
- ``smtp://user:password@host:587`` with STARTTLS when ``smtp+tls://``, TLS from the first byte
  when ``smtps://``;
- ``mailbox:`` keeps every message in the local mailbox (read in the admin), the demo default;
- ``console:`` prints messages, ``memory:`` keeps them in ``django.core.mail.outbox`` (tests).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "picketline.mail.backends.SMTPBackend"
LOCAL_BACKENDS = {
    "mailbox": "picketline.mail.backends.LocalMailboxBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_BACKENDS:
        return {"EMAIL_BACKEND": LOCAL_BACKENDS[scheme]}
    if scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {scheme!r}; use smtp, smtp+tls, smtps, mailbox, console"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: an SMTP URL needs a host, e.g. smtp://mail:25")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL: the port is not a number") from None
    default_port = {"smtp": 25, "smtp+tls": 587, "smtps": 465}[scheme]
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_TIMEOUT": 30,
    }
