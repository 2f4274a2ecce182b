"""Text translated per field; English is the source and the visible fallback. Names, dates
and links stay as the sources give them; everything the register says about them (a union's
name, a role, a town, a charge, a reported status, what is disputed, a note, a sector, an owner,
sanctions, a concern, a business relationship, a procedure's facts) is translated."""

from modeltranslation.translator import TranslationOptions, register

from picketline.registers.models import (
    BusinessPartner,
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
    fields = ("title", "summary", "date_note", "facts")


@register(Union)
class UnionTranslation(TranslationOptions):
    fields = ("abbreviation", "name")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("union_note", "role", "city", "status_text", "notes", "disputed")


@register(CaseEvent)
class CaseEventTranslation(TranslationOptions):
    fields = ("text", "disputed_note")


@register(Company)
class CompanyTranslation(TranslationOptions):
    fields = ("name", "sector", "ownership", "city", "sanctions_note")


@register(LabourConcern)
class LabourConcernTranslation(TranslationOptions):
    fields = ("text",)


@register(BusinessPartner)
class BusinessPartnerTranslation(TranslationOptions):
    fields = ("country", "relationship")
