"""What rests on a consent, and what withdrawing it stops.

``supporters`` knows the consents but not the actions built on them (letters, videos…), which
live in apps above it. Each of those apps tells this registry, in its ``AppConfig.ready()``,
what to stop when a consent given with one of its actions is withdrawn::

    withdrawal.register("letters.letter", Consent.Purpose.SEND_IN_MY_NAME, cancel_unsent_letters)

``Consent.withdraw()`` then calls every function registered for the consent's action and
purpose, in the transaction that marks the consent withdrawn: either both happen or neither.

``effect()`` is what the privacy page tells a supporter before they press the button; each
sentence is proven by ``tests/supporters/test_withdrawing_a_consent_stops_what_rests_on_it.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from picketline.supporters.models import Consent

# Called with the consent just withdrawn; it finds the action through action_type/action_id.
Stop = Callable[["Consent"], None]

_STOPS: dict[tuple[str, str], list[Stop]] = {}


def register(action_label: str, purpose: str, stop: Stop) -> None:
    """Have ``stop`` run whenever a ``purpose`` consent given with an ``action_label`` action
    ("app_label.model") is withdrawn. Registering the same function twice is harmless."""
    stops = _STOPS.setdefault((action_label, str(purpose)), [])
    if stop not in stops:
        stops.append(stop)


def stop_what_rests_on(consent: Consent) -> None:
    """Run what the action apps registered for this consent (inside the caller's transaction)."""
    for stop in _STOPS.get((consent.action_type, str(consent.purpose)), []):
        stop(consent)


# What withdrawing each kind of consent does, in the words the privacy page shows.
_EFFECTS = {
    "send_in_my_name": gettext_lazy(
        "Letters not yet sent in your name are cancelled at once, and your name is taken out "
        "of any daily collection of letters that has not gone yet. Letters that have already "
        "been delivered cannot be called back."
    ),
    "organiser_updates": gettext_lazy(
        "You are taken off the list of people we may send news of the campaign to, at once. "
        "Mails about something you do yourself (a confirmation link, a registration) still come."
    ),
    "publish_name": gettext_lazy("Your name comes off every page of this site at once."),
    "publish_face_voice": gettext_lazy(
        "Your video comes off this site at once and its files are deleted. If it was "
        "published, the organisers are told at once to take it down from the campaign's "
        "channels too. Copies that others have made are beyond our reach."
    ),
}


def effect(purpose: str, partner: str = "") -> str:
    """What withdrawing a consent for ``purpose`` does, in the active language."""
    if purpose == "partner_updates":
        return gettext(
            "You are taken off the list of people whose name and address we may give to "
            "%(partner)s, at once. What they already have is theirs: ask them to delete it."
        ) % {"partner": partner}
    return str(_EFFECTS[purpose])
