"""Text translated per field; English is the source and the visible fallback. Names, dates
and links stay as the sources give them; what the register says about them (a union's name, a
role, a charge, a reported status, a sector, a concern) is translated."""

from modeltranslation.translator import TranslationOptions, register

from picketline.registers.models import (
    CaseEvent,
    Company,
    LabourConcern,
    Person,
    Procedure,
    Union,
    WritingGuidance,
)


@register(WritingGuidance)
class WritingGuidanceTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Procedure)
class ProcedureTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Union)
class UnionTranslation(TranslationOptions):
    fields = ("abbreviation", "name")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("union_note", "role", "status_text")


@register(CaseEvent)
class CaseEventTranslation(TranslationOptions):
    fields = ("text",)


@register(Company)
class CompanyTranslation(TranslationOptions):
    fields = ("sector",)


@register(LabourConcern)
class LabourConcernTranslation(TranslationOptions):
    fields = ("text",)
