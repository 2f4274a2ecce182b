"""Mail written when it is sent: composers, registered by name.

A message queued with ``compose_with=NAME`` has no subject or body yet; the worker writes them
just before sending, with the composer registered under ``NAME`` (an app registers its own in
its ``AppConfig.ready``). The outbox stores only the name, so moving or renaming a function
cannot break mail that is already queued, and no row can name code to run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from picketline.mail.models import OutgoingMessage


@dataclass(frozen=True)
class Composer:
    # Writes subject and bodies into the message; False when what it is about is gone.
    compose: Callable[[OutgoingMessage], bool]
    # Optional: reads at once what a batch of its messages needs, before ``compose`` runs.
    look_up: Callable[[list[OutgoingMessage]], None] | None = None
    # Optional: the subject the person got, told again for their privacy page (the outbox
    # keeps no copy of what a composer wrote); "" when it cannot be told any more.
    describe: Callable[[OutgoingMessage], str] | None = None


_COMPOSERS: dict[str, Composer] = {}


def register(
    name: str,
    compose: Callable[[OutgoingMessage], bool],
    *,
    look_up: Callable[[list[OutgoingMessage]], None] | None = None,
    describe: Callable[[OutgoingMessage], str] | None = None,
) -> None:
    known = _COMPOSERS.get(name)
    if known is not None and known.compose is not compose:
        raise ValueError(f"another composer is registered as {name!r}")
    _COMPOSERS[name] = Composer(compose, look_up, describe)


def told_again(
    compose: Callable[[OutgoingMessage], bool],
) -> Callable[[OutgoingMessage], str]:
    """A ``describe`` for a composer that changes nothing but the message it is given: it
    writes a copy of the message again and keeps the subject ("" when nothing would go)."""

    def describe(message: OutgoingMessage) -> str:
        written = copy.copy(message)
        return written.subject if compose(written) else ""

    return describe


class UnknownComposer(LookupError):
    """No composer is registered under this name (yet: a worker of an older release)."""


def composer(name: str) -> Composer:
    """The composer registered as ``name``; UnknownComposer for a name nobody registered."""
    try:
        return _COMPOSERS[name]
    except KeyError:
        raise UnknownComposer(f"no composer is registered as {name!r}") from None
