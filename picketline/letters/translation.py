from modeltranslation.translator import TranslationOptions, register

from picketline.letters.models import LetterAction, Target


@register(LetterAction)
class LetterActionTranslation(TranslationOptions):
    # The letters themselves are LetterText rows, one per language, because a letter is
    # written whole in one language; the action's page text is translated per field.
    fields = ("title", "summary")


@register(Target)
class TargetTranslation(TranslationOptions):
    # A letter names and greets its recipient in the letter's language.
    fields = ("name", "organisation", "postal_address", "salutation")
