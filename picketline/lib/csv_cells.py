"""The one way Picketline writes CSV: cells that a spreadsheet would run as a formula are defused.

Supporters and the public type the text that ends up in exports (names, organisations, needs).
A spreadsheet program opening the file treats a cell that starts with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return before one) as a formula, so ``=HYPERLINK(...)`` in a name
would run on an organiser's machine. As OWASP advises, such a cell is written with a leading
apostrophe, which spreadsheets show as text. A cell that already starts with an apostrophe gets
one more, so that ``restore_cell`` gives back exactly what was exported (for our own importers),
while a name typed by hand as ``'t Hart`` keeps its apostrophe.

Numbers, dates and ``None`` are written as the csv module writes them; only text is changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

# What a spreadsheet may read as the start of a formula, plus our own escape character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
ESCAPE = "'"


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def restore_cell(value: str) -> str:
    """The text a ``safe_cell`` was made from (for importing a file we exported)."""
    if value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return value[1:]
    return value


class CsvWriter:
    """``csv.writer`` whose every text cell goes through ``safe_cell``."""

    def __init__(self, stream: Writable, **options: Any) -> None:
        self.writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """``csv.DictWriter`` whose every text cell goes through ``safe_cell``."""

    def __init__(self, stream: Writable, fieldnames: Sequence[str], **options: Any) -> None:
        self.writer = csv.DictWriter(stream, fieldnames=fieldnames, **options)

    def writeheader(self) -> None:
        self.writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        self.writer.writerow({key: safe_cell(value) for key, value in row.items()})
