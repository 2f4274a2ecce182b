"""For the e-mails every app sends supporters: the line that links their privacy page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def privacy_page_url() -> str:
    """The privacy page in the active language (a mail is written in its reader's)."""
    return settings.SITE_URL + reverse("supporters:privacy")
