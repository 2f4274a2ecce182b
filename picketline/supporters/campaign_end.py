"""What the erasure at the campaign's end tells the staff: once, not once per supporter.

``retention.erase_after_campaign`` erases everyone in batches; a notice that erasing one person
would send at once (a published video came down: take it off the campaign's channels) is kept
instead for one notice of the whole batch, queued once the batch is done. The apps that
send such notices sit above this one, so they hand in the function that tells
(``told_at_the_end``); this module knows nothing of what they say.

A kept notice is a row (``HeldNotice``) written in the transaction of the erasure that hands it
in, and deleted in the one that tells: a worker killed at any point has either not erased the
person yet, or left the notice for ``tell_held_notices`` on the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

from picketline.supporters.models import HeldNotice

Tell = Callable[[list[Any]], object]

logger = logging.getLogger(__name__)

_erasing: ContextVar[bool] = ContextVar("picketline_campaign_end_erasing", default=False)


@contextmanager
def erasing_at_the_campaigns_end() -> Iterator[None]:
    """Within it, ``told_at_the_end`` keeps notices; on leaving it, even on an error, each
    ``tell`` is called once with what the erasures that were committed handed in (and what a
    run that was killed left). Each person is erased in a transaction of their own (their
    files go at once, so a batch rolled back as one would leave published rows without
    files)."""
    token = _erasing.set(True)
    try:
        yield
    finally:
        _erasing.reset(token)
        tell_held_notices()


def told_at_the_end(tell: Tell, item: Any) -> bool:
    """While the campaign's end erases, keep ``item`` (JSON) for one ``tell(items)`` when the
    batch is done, in the caller's transaction, and return True; otherwise return False, and
    the caller tells at once. ``tell`` is a module-level function (it is found again by its
    name, also by a later run)."""
    if not _erasing.get():
        return False
    HeldNotice.objects.create(tell=f"{tell.__module__}.{tell.__qualname__}", item=item)
    return True


def tell_held_notices() -> int:
    """Call each ``tell`` once with the items kept for it, each in a transaction of its own
    that also deletes them (a second worker finds them locked, then gone). Returns how many
    items were told of. A ``tell`` that fails (a function renamed since, a template that does
    not render) is logged and its items stay for the next run: the erasure, which the privacy
    notice promises, never waits on a notice to the staff."""
    told = 0
    for path in HeldNotice.objects.order_by("tell").values_list("tell", flat=True).distinct():
        try:
            with transaction.atomic():
                held = list(HeldNotice.objects.select_for_update().filter(tell=path).order_by("pk"))
                if not held:
                    continue
                import_string(path)([notice.item for notice in held])
                HeldNotice.objects.filter(pk__in=[notice.pk for notice in held]).delete()
                told += len(held)
        except Exception:  # any fault of the notice: the erasure goes on regardless
            logger.exception("campaign end: the staff could not be told (%s); kept for later", path)
    return told
