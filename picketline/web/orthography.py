"""Month names for Belarusian dates.

Django's Belarusian catalogue gives genitives where nominatives belong ("студзеня" for January),
a nominative where the genitive belongs ("19 сакавік"), and some names in the classical
orthography (сьнежня) while the campaign's texts use the official one. Listing the month names
here puts them into ``web/locale``, whose translations take precedence over Django's own; the
Russian and German entries repeat Django's.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# Written out so that makemessages finds them: "F" (nominative) and "E" (in a date) formats.
MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
