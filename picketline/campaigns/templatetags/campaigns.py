"""``{% translated obj "field" %}``: an organiser's text in the visitor's language, or the English
text marked ``lang="en"`` with a visible note when nobody has translated it yet."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.db.models import Model
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from picketline.campaigns import context_processors, mentions

register = template.Library()


def field_text(obj: Model, field: str, language: str) -> str:
    return getattr(obj, build_localized_fieldname(field, language), None) or ""


@register.simple_tag
def translated(obj: Model, field: str, paragraphs: bool = False) -> SafeString:
    """The field in the current language; ``paragraphs=True`` turns blank lines into <p>."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    text = field_text(obj, field, language)
    fallback = False
    if not text and language != settings.LANGUAGE_CODE:
        text = field_text(obj, field, settings.LANGUAGE_CODE)
        fallback = bool(text)
    if not text:
        return mark_safe("")
    text = mentions.expand(text, settings.LANGUAGE_CODE if fallback else language)
    content = linebreaks_filter(text, autoescape=True) if paragraphs else conditional_escape(text)
    if not fallback:
        return mark_safe(content)
    note = _("Not yet translated — shown in English")
    if paragraphs:
        return format_html(
            '<div class="untranslated" lang="{}">{}</div><p class="untranslated-note">{}</p>',
            settings.LANGUAGE_CODE,
            mark_safe(content),
            note,
        )
    return format_html(
        '<span class="untranslated" lang="{}">{}</span> <span class="untranslated-note">({})</span>',
        settings.LANGUAGE_CODE,
        mark_safe(content),
        note,
    )


@register.filter
def with_mentions(text: str) -> str:
    """Mentions of the register (``campaigns.mentions``) filled in, in the current language."""
    return mentions.expand(text or "", (get_language() or settings.LANGUAGE_CODE).split("-")[0])


@register.simple_tag
def plain(obj: Model, field: str) -> str:
    """The field as plain text in the current language, falling back to English quietly:
    for attributes and share texts, where a note would not fit."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return field_text(obj, field, language) or field_text(obj, field, settings.LANGUAGE_CODE)


@register.simple_tag
def campaign_name() -> str:
    """The current campaign's title in the active language (a mail's signature)."""
    return context_processors.campaign_name()
