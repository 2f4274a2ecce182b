"""What the erasure at the campaign's end tells the staff: once, not once per supporter.

``retention.erase_after_campaign`` erases everyone in batches; a notice that erasing one person
would send at once (a published video came down: take it off the campaign's channels) is kept
instead for one notice of the whole batch, queued once the batch is done. The apps that
send such notices sit above this one, so they hand in the function that tells
(``told_at_the_end``); this module knows nothing of what they say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

Tell = Callable[[list[Any]], object]

_gathered: ContextVar[dict[Tell, list[Any]] | None] = ContextVar(
    "picketline_campaign_end_notices", default=None
)


@contextmanager
def erasing_at_the_campaigns_end() -> Iterator[None]:
    """Within it, ``told_at_the_end`` keeps notices; on leaving it, even on an error, each
    ``tell`` is called once, in a transaction of its own, with what the erasures that were
    committed handed in. Each person is erased in a transaction of their own (their files go
    at once, so a batch rolled back as one would leave published rows without files)."""
    gathered: dict[Tell, list[Any]] = {}
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
        for tell, items in gathered.items():
            with transaction.atomic():
                tell(items)


def told_at_the_end(tell: Tell, item: Any) -> bool:
    """While the campaign's end erases, keep ``item`` for one ``tell(items)`` when the batch
    is done (once the erasure that hands it in is committed) and return True; otherwise
    return False, and the caller tells at once."""
    gathered = _gathered.get()
    if gathered is None:
        return False
    transaction.on_commit(lambda: gathered.setdefault(tell, []).append(item))
    return True
