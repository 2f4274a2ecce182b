"""Month names that our Belarusian catalogue spells differently from Django's.

Django's Belarusian catalogue writes some months in the classical orthography (сьнежня,
верасьня) and gives a genitive where a nominative belongs; the campaign's texts use the
official orthography. Listing the names here puts them into ``web/locale``, whose translations
take precedence over Django's own, so dates read like the texts around them.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTH_NAMES = [
    gettext_noop("September"),
    gettext_noop("December"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "December"),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Dec."),
    gettext_noop("sep"),
    gettext_noop("dec"),
]
