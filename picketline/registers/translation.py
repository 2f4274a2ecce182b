"""Organiser-written text, translated per field. Facts from sources (names, charges, statuses)
are not translated: they stay as the sources give them."""

from modeltranslation.translator import TranslationOptions, register

from picketline.registers.models import Procedure, WritingGuidance


@register(WritingGuidance)
class WritingGuidanceTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Procedure)
class ProcedureTranslation(TranslationOptions):
    fields = ("title", "summary")
