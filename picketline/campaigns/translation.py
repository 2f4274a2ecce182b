"""Organiser-written text, translated per field; English is the source and the visible fallback."""

from modeltranslation.translator import TranslationOptions, register

from picketline.campaigns.models import (
    Campaign,
    Contact,
    Demand,
    LegalPage,
    Organisation,
    SupporterAction,
    TimelineEntry,
)


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title", "slogan", "summary", "body", "day_of_action_title", "day_of_action_text")


@register(Demand)
class DemandTranslation(TranslationOptions):
    fields = ("text",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(SupporterAction)
class SupporterActionTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "cta_label")


@register(Contact)
class ContactTranslation(TranslationOptions):
    fields = ("name", "role")


@register(TimelineEntry)
class TimelineEntryTranslation(TranslationOptions):
    fields = ("title", "text")


@register(LegalPage)
class LegalPageTranslation(TranslationOptions):
    fields = ("title", "body")
