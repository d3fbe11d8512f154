"""Cells moved out of their table: a loose value fills the row printed one cell short.

A cell whose text wrapped in the PDF (``22（其中修订 16 件）``) comes out of some converters as a line
outside the table, and its row prints one value fewer than it has columns. The loose values of a
table, in the order printed, go to its short rows in template order when their numbers match (as
many loose values as missing cells); each way of putting a row's loose values into its gaps is a
reading. A note printed with the value that names a column (``其中修订`` → 制发, ``自然失效`` →
废止, from the template's column hints) fixes its column; otherwise the identities, the narrative,
or failing both an uncertain flag decide.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ogi.extract.leftovers import LooseCell
from ogi.extract.readings import Reading, RowValues
from ogi.extract.values import Printed, parse_cell
from ogi.model.template import Column

UNFILLED_COST = 0.5


@dataclass(slots=True)
class ShortRow:
    columns: tuple[Column, ...]
    values: RowValues
    printed: int
    """How many values the row prints."""

    @property
    def missing(self) -> int:
        return len(self.columns) - self.printed


@dataclass(slots=True)
class Filled:
    readings: list[Reading]
    costs: list[float]
    cells: list[LooseCell]


def short_count(values: RowValues, width: int) -> int | None:
    """How many values a row prints when it prints fewer than ``width``, else None."""
    for rule, detail in values.issues:
        if rule == "ROW_SHORT":
            n, _, k = detail.partition("/")
            if n.isdigit() and k == str(width):
                return int(n)
    return None


def fill(rows: Sequence[ShortRow], cells: Sequence[LooseCell], *, keep_unfilled: bool) -> list[Filled] | None:
    """The readings of each short row with its loose cells put in, or None when the loose cells do
    not match the short rows (a different count: they may be something else entirely).

    ``keep_unfilled`` keeps the row's own readings too, at a cost (for tables whose identities can
    tell), or as weaker alternatives."""
    if not rows or sum(r.missing for r in rows) != len(cells):
        return None
    out: list[Filled] = []
    at = 0
    for row in rows:
        mine = list(cells[at : at + row.missing])
        at += row.missing
        readings = _filled(row, mine)
        if not readings:
            return None
        costs = [0.0] * len(readings)
        if keep_unfilled or any(c.note is None for c in mine):
            own = [replace(r, score=r.score - 100) for r in row.values.readings]
            readings += own
            costs += [UNFILLED_COST if keep_unfilled else 0.0] * len(own)
        out.append(Filled(readings, costs, mine))
    return out


def _filled(row: ShortRow, cells: list[LooseCell]) -> list[Reading]:
    printed = [v for v in row.values.readings[0].values if v is not None] if row.values.readings else []
    if len(printed) != row.printed:
        return []
    k = len(row.columns)
    out: list[Reading] = []
    for slots in itertools.combinations(range(k), len(cells)):
        if not all(_fits(cell, slot, row.columns) for cell, slot in zip(cells, slots, strict=True)):
            continue
        values: list[Printed | None] = []
        rest = iter(printed)
        loose = iter(zip(cells, slots, strict=True))
        nxt = next(loose, None)
        for c in range(k):
            if nxt is not None and nxt[1] == c:
                values.append(_printed(nxt[0], row.columns[c]))
                nxt = next(loose, None)
            else:
                values.append(next(rest))
        if all(v is not None for v in values):
            out.append(Reading(tuple(values), -len(out)))
    return out


def _fits(cell: LooseCell, slot: int, columns: tuple[Column, ...]) -> bool:
    """A note naming the words of exactly one column (its hints) puts the cell in that column."""
    if not cell.note:
        return True
    named = [i for i, c in enumerate(columns) if any(h in cell.note for h in c.hints)]
    return len(named) != 1 or named[0] == slot


def _printed(cell: LooseCell, column: Column) -> Printed | None:
    return parse_cell(cell.text, column.kind, cell.where)
