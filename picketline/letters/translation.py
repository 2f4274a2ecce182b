from modeltranslation.translator import TranslationOptions, register

from picketline.letters.models import LetterAction


@register(LetterAction)
class LetterActionTranslation(TranslationOptions):
    # The letters themselves are LetterText rows, one per language, because a letter is
    # written whole in one language; the action's page text is translated per field.
    fields = ("title", "summary")
