"""What the erasure at the campaign's end tells the staff: once, not once per supporter.

``retention.erase_after_campaign`` erases everyone in batches; a notice that erasing one person
would send at once (a published video came down: take it off the campaign's channels) is kept
instead for one notice of the whole batch, queued in the batch's transaction. The apps that
send such notices sit above this one, so they hand in the function that tells
(``told_at_the_end``); this module knows nothing of what they say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Tell = Callable[[list[Any]], object]

_gathered: ContextVar[dict[Tell, list[Any]] | None] = ContextVar(
    "picketline_campaign_end_notices", default=None
)


@contextmanager
def erasing_at_the_campaigns_end() -> Iterator[None]:
    """Within it, ``told_at_the_end`` keeps notices; on leaving it without an error, each
    ``tell`` is called once with everything handed in. Enter it inside the transaction that
    erases, so the notices are queued with the erasure or not at all."""
    gathered: dict[Tell, list[Any]] = {}
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
    for tell, items in gathered.items():
        tell(items)


def told_at_the_end(tell: Tell, item: Any) -> bool:
    """While the campaign's end erases, keep ``item`` for one ``tell(items)`` when the batch
    is done and return True; otherwise return False, and the caller tells at once."""
    gathered = _gathered.get()
    if gathered is None:
        return False
    gathered.setdefault(tell, []).append(item)
    return True
