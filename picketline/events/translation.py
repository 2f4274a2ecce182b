"""Organiser-written event text, translated per field; English is the source and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from picketline.events.models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "venue_name", "interpretation")
