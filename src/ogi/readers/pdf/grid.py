"""Table grids from rulings, and the text of their cells.

Rulings that cross or touch form one table. Its column boundaries are its vertical rulings, its
row boundaries its horizontal ones, plus the ends of the vertical rulings: at a page break Word
and WPS often leave the last row without its bottom ruling (or the first without its top one),
and the verticals still show where the row ends. The boundaries cut the table into atoms; two
neighbouring atoms belong to one cell when no ruling separates them, which gives every merged
cell with its row and column span. A character belongs to the cell under the centre of its ink
box; a cell's lines are its characters grouped by baseline, read left to right.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from ogi.readers._util import Placed
from ogi.readers.pdf.page import Box, Char, PageTable, Ruling
from ogi.readers.pdf.rulings import TOLERANCE
from ogi.readers.spans import Groups, merged_cells

MIN_COVER = 0.5
"""The share of a boundary between two atoms that rulings must cover for them to be two cells."""
LINE_TOLERANCE = 3.0
"""Baselines within this many points are one line (pdfplumber's ``y_tolerance``)."""
CELL_PADDING = 5.4
"""The left and right cell margins of Word, WPS and LibreOffice tables (0.19 cm)."""
_DIGITS = frozenset("0123456789.,")
WORD_GAP = 3.0
"""A horizontal gap (points) between two characters wider than this is a space (pdfplumber's
``x_tolerance``)."""


@dataclass(slots=True)
class Grid:
    """A table being built: its boundaries and which cell each atom belongs to."""

    table: PageTable
    ys: list[float]
    cell_at: list[list[int]]
    chars: list[list[Char]]

    def locate(self, x: float, y: float) -> int | None:
        """The index of the cell under a point, or None outside the table."""
        xs, ys = self.table.xs, self.ys
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        c = min(bisect_right(xs, x) - 1, len(xs) - 2)
        r = min(bisect_right(ys, y) - 1, len(ys) - 2)
        return self.cell_at[r][c]

    def finish(self) -> PageTable:
        """The table with every cell's text set from the characters placed in it."""
        for cell, chars in zip(self.table.cells, self.chars, strict=True):
            cell.text = cell_text(chars, cell.box[2] - cell.box[0] if cell.box else 0.0)
        return self.table


def find_grids(horizontal: list[Ruling], vertical: list[Ruling], page: int) -> list[Grid]:
    """The ruled tables of a page, top to bottom; only those of two columns or more (a ruled
    box of one column is framed prose). One-row tables stay: the row may continue a table from
    the page before."""
    grids = []
    for hs, vs in _components(horizontal, vertical):
        xs = sorted({v.at for v in vs})
        ys = sorted({h.at for h in hs})
        top, bottom = min(v.start for v in vs), max(v.end for v in vs)
        if top < ys[0] - TOLERANCE:
            ys.insert(0, top)
        if bottom > ys[-1] + TOLERANCE:
            ys.append(bottom)
        if len(xs) >= 3 and len(ys) >= 2:
            grids.append(_grid(hs, vs, xs, ys, page))
    grids.sort(key=lambda g: g.table.bbox[1])
    return grids


def _components(horizontal: list[Ruling], vertical: list[Ruling]) -> list[tuple[list[Ruling], list[Ruling]]]:
    """Groups of rulings connected by crossings."""
    n = len(horizontal)
    joined = Groups(n + len(vertical))
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if h.start - TOLERANCE <= v.at <= h.end + TOLERANCE and v.start - TOLERANCE <= h.at <= v.end + TOLERANCE:
                joined.join(i, n + j)
    groups: dict[int, tuple[list[Ruling], list[Ruling]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(joined.root(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(joined.root(n + j), ([], []))[1].append(v)
    return [(hs, vs) for hs, vs in groups.values() if hs and vs]


def _on(rulings: list[Ruling], bounds: list[float]) -> list[list[Ruling]]:
    """The rulings lying on each boundary."""
    out: list[list[Ruling]] = [[] for _ in bounds]
    for r in rulings:
        i = min(range(len(bounds)), key=lambda k: abs(bounds[k] - r.at))
        if abs(bounds[i] - r.at) <= TOLERANCE:
            out[i].append(r)
    return out


def _covered(rulings: list[Ruling], lo: float, hi: float) -> bool:
    if hi <= lo:
        return True
    cover = sum(max(0.0, min(r.end, hi) - max(r.start, lo)) for r in rulings)
    return cover >= MIN_COVER * (hi - lo)


def _grid(hs: list[Ruling], vs: list[Ruling], xs: list[float], ys: list[float], page: int) -> Grid:
    on_x, on_y = _on(vs, xs), _on(hs, ys)
    spans = merged_cells(
        len(ys) - 1,
        len(xs) - 1,
        lambda r, c: not _covered(on_x[c + 1], ys[r], ys[r + 1]),
        lambda r, c: not _covered(on_y[r + 1], xs[c], xs[c + 1]),
    )
    cells = []
    cell_at = [[0] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for i, s in enumerate(spans):
        box: Box = (xs[s.col], ys[s.row], xs[s.col + s.colspan], ys[s.row + s.rowspan])
        cells.append(Placed(s.row, s.col, s.rowspan, s.colspan, "", box))
        for r in range(s.row, s.row + s.rowspan):
            cell_at[r][s.col : s.col + s.colspan] = [i] * s.colspan
    table = PageTable(page, (xs[0], ys[0], xs[-1], ys[-1]), xs, cells, [page] * (len(ys) - 1))
    return Grid(table, ys, cell_at, [[] for _ in cells])


def cell_text(chars: list[Char], width: float = 0.0) -> str:
    """The lines of a cell, top to bottom, each read left to right with a space at every gap. A
    number the cell was too narrow for (Word and LibreOffice break ``130`` into ``13`` over ``0``)
    is joined back; ``width`` is the cell's."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: c.baseline):
        if lines and ch.baseline - lines[-1][0].baseline <= LINE_TOLERANCE:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    out: list[str] = []
    for n, line in enumerate(lines):
        parts = [line[0].text]
        for prev, ch in pairwise(line):
            if ch.x0 - prev.x1 > WORD_GAP:
                parts.append(" ")
            parts.append(ch.text)
        text = "".join(parts)
        if n and _wrapped(lines[n - 1], line, width):
            out[-1] += text
        else:
            out.append(text)
    return "\n".join(out)


def _wrapped(above: list[Char], below: list[Char], width: float) -> bool:
    """Whether two lines of digits are one number broken by the cell's edge: the first digit
    below would not have fitted on the line above."""
    if not all(c.text in _DIGITS for c in above) or not all(c.text in _DIGITS for c in below):
        return False
    needed = below[0].x1 - below[0].x0 + above[-1].x1 - above[0].x0
    return needed > width - 2 * CELL_PADDING
