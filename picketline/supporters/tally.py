"""Who keeps count of actions as they are taken and confirmed.

``supporters`` is where every action is stored (``flow.take_new_action``) and confirmed
(``ConfirmableAction.confirm``), but the counts live in an app above it (the organisers'
dashboard). That app registers a ``Tally`` in its ``AppConfig.ready()``::

    tally.register(DailyTally())

and both places call every registered tally inside their own transaction, so a count is
written with the action or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from picketline.supporters.models import ConfirmableAction


class Tally(Protocol):
    def submitted(self, action: ConfirmableAction) -> None:
        """A new action was stored (not yet confirmed)."""

    def confirmed(self, action: ConfirmableAction, *, first_of_supporter: bool) -> None:
        """``action`` was confirmed just now; ``first_of_supporter`` when it is the first
        thing its supporter ever confirmed (a new supporter)."""


_TALLIES: list[Tally] = []


def register(tally: Tally) -> None:
    """Have ``tally`` told of every action stored and confirmed. Registering twice is
    harmless."""
    if tally not in _TALLIES:
        _TALLIES.append(tally)


def submitted(action: ConfirmableAction) -> None:
    for tally in _TALLIES:
        tally.submitted(action)


def confirmed(action: ConfirmableAction, *, first_of_supporter: bool) -> None:
    for tally in _TALLIES:
        tally.confirmed(action, first_of_supporter=first_of_supporter)
