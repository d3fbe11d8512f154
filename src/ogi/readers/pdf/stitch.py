"""Tables continued across pages: the top of the next page appended to the table before.

A table runs on when the first block of a page is a table whose column rulings line up with the
last table of the page before. Header rows the new page repeats are dropped; a cell the break
cut in two (an empty cell under a tall merged one, a label broken mid-text) becomes one cell
again, and a row cut in two (its labels continue on the new page, its numbers do not) one row.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ogi.readers._util import Placed
from ogi.readers.pdf.page import PageTable
from ogi.readers.pdf.rulings import TOLERANCE


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _signature(t: PageTable, row: int) -> tuple[str, ...]:
    return tuple(" ".join(p.text.split()) for p in t.cells if p.row == row)


def _merges(above: Placed, below: Placed) -> bool:
    """Whether a cell at the top of the continued part is the rest of the cell above the break:
    an empty cell under a tall one, or a label broken mid-text that now runs over several rows."""
    if not below.text.strip():
        return above.rowspan > 1 or below.rowspan > 1
    return above.rowspan == 1 and below.rowspan > 1 and bool(above.text.strip())


_NUMBER = re.compile(r"^[+\-]?[\d.,]+$")
_ORDINAL = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+\s*[)）、.．]")


def _split_row(first: list[tuple[int, int, Placed]], open_cells: dict[tuple[int, int], Placed]) -> bool:
    """Whether the first row on the new page is the rest of a row the page break cut in two:
    its labels continue the labels above, and the numbers above have nothing below them."""
    numbers_above_blank = False
    for col, span, p in first:
        above = open_cells.get((col, span))
        text = p.text.strip()
        if text and (above is None or not above.text.strip() or _NUMBER.match(text) or _ORDINAL.match(text)):
            return False
        if not text and above is not None and _NUMBER.match(above.text.strip()):
            numbers_above_blank = True
    return numbers_above_blank


def stitch(prev: PageTable, cont: PageTable) -> bool:
    """Append ``cont`` (the top of the next page) to ``prev`` when its column rulings line up with
    ``prev``'s; header rows repeated on the new page are dropped. Returns whether it stitched."""
    if abs(prev.xs[0] - cont.xs[0]) > TOLERANCE or abs(prev.xs[-1] - cont.xs[-1]) > TOLERANCE:
        return False
    cols = [_index(prev.xs, x) for x in cont.xs]
    if any(abs(prev.xs[c] - x) > TOLERANCE for c, x in zip(cols, cont.xs, strict=True)):
        return False
    skip = 0
    while (
        skip < min(3, cont.n_rows - 1, prev.n_rows)
        and _signature(cont, skip) == _signature(prev, skip)
        and any(_signature(cont, skip))
    ):
        skip += 1
    open_cells = {(q.col, q.colspan): q for q in prev.cells if q.row + q.rowspan == prev.n_rows}
    first = [(cols[p.col], cols[p.col + p.colspan] - cols[p.col], p) for p in cont.cells if p.row == skip]
    split = int(_split_row(first, open_cells))
    offset = prev.n_rows - skip - split
    for p in cont.cells:
        if p.row < skip:
            continue
        col, span = cols[p.col], cols[p.col + p.colspan] - cols[p.col]
        above = open_cells.get((col, span)) if p.row == skip else None
        if above is not None and (split or _merges(above, p)):
            above.rowspan += p.rowspan - split
            if p.text.strip():
                above.text = f"{above.text}\n{p.text}" if above.text.strip() else p.text
            continue
        # replace, not a new Placed: an OCR cell keeps its box, confidence and alternatives
        prev.cells.append(replace(p, row=p.row + offset, col=col, colspan=span))
    prev.row_pages += cont.row_pages[skip + split :]
    prev.cells.sort(key=lambda p: (p.row, p.col))
    return True
