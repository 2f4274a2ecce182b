"""Facts an organiser's text refers to instead of restating them: ``[[person:bp001]]`` in a
campaign text or a letter becomes what the register says of that person today, in the text's
language. The campaign app knows no register; the registers app registers its expander here
(``RegistersConfig.ready``), so a text never calls someone jailed whom the register lists as
released."""

from __future__ import annotations

from collections.abc import Callable

Expander = Callable[[str, str], str]
_expanders: list[Expander] = []


def register(expander: Expander) -> None:
    """Add ``expander(text, language) -> text``; registering one twice changes nothing."""
    if expander not in _expanders:
        _expanders.append(expander)


def expand(text: str, language: str) -> str:
    """``text`` with every mention replaced, as read in ``language``."""
    if "[[" not in text:
        return text
    for expander in _expanders:
        text = expander(text, language)
    return text
