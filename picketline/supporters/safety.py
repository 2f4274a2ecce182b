"""Supporters in a country the organisers marked as dangerous (``DangerousCountry``).

Every action form asks through ``SupporterFields.countries_asked`` which of its fields name a
country, what giving a dangerous one there exposes, and whether its sender may go on once
warned. ``SupporterFields.clean()`` refuses such a form until its sender ticks that they read
the warning (``ACKNOWLEDGED``), or for good where going on is never safe (a public report of an
action held in that country): the form comes back, nothing stored, with the warning
(``{% safety_warnings form title %}``) on top and the safer ways to help, among them an
anonymous count (``AnonymousCount``) that keeps nothing but a number. The letter form keeps its
own, stricter page (``letters.views``): no letter ever goes in such a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from picketline.supporters.models import AnonymousCount, DangerousCountry

ACKNOWLEDGED = "safety_acknowledged"
COUNT_SALT = "picketline.supporters.anonymous-count"

PERSONAL = _(
    "Your name and e-mail address are kept by this campaign, and our e-mails to you name it: "
    "whoever reads your mailbox or watches your connection in %(country)s can learn that you "
    "support it."
)


@dataclass(frozen=True)
class CountryAsked:
    """A form field that names a country. ``risk`` says, with ``%(country)s``, what sending
    the form exposes of someone there; ``may_go_on`` whether they may send it once warned."""

    field: str
    risk: Promise | str = PERSONAL
    may_go_on: bool = True


@dataclass(frozen=True)
class Warning:
    """One warning a form page holds: for ``code`` given in ``asked.field``; ``shown`` when
    the server found it in what was sent (the others wait, hidden, for the script)."""

    asked: CountryAsked
    code: str
    name: str
    shown: bool

    @property
    def risk(self) -> str:
        return str(self.asked.risk) % {"country": self.name}


def is_dangerous(code: str | None) -> bool:
    return bool(code) and DangerousCountry.is_dangerous(code)


def count_token(key: str) -> str:
    """The signed name of a count, as a page offers it: only our pages make new counts."""
    return signing.dumps(key, salt=COUNT_SALT)


def count_key(token: str) -> str | None:
    try:
        key = signing.loads(token, salt=COUNT_SALT)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) and 0 < len(key) <= AnonymousCount.KEY_LENGTH else None
