"""Ruled tables of one PDF page, as placed cells with spans, and their stitching across pages.

pdfplumber returns each table's cell boxes; a merged cell is simply a bigger box. Column and row
boundaries are the distinct box edges, so a box's span is the number of boundaries it crosses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ogi.readers._util import Placed

SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
TOLERANCE = 3.0
"""Points within which two rulings count as the same column boundary."""

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class PageTable:
    page: int
    bbox: Box
    xs: list[float]
    cells: list[Placed]
    n_rows: int
    row_pages: list[int] = field(default_factory=list)


def _keep(obj: dict[str, Any]) -> bool:
    # Filled, unstroked rectangles are shading (Word paints a white box behind every text line
    # of some documents): their edges are not rulings and would turn prose into one-column tables.
    if obj.get("object_type") == "rect" and not obj.get("stroke"):
        return min(obj["width"], obj["height"]) <= 3
    return True


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOLERANCE:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _build(table: Any, page: int) -> tuple[PageTable, int]:
    """The table's placed cells and how many grid positions no cell box covers."""
    boxes: list[Box] = table.cells
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    texts: dict[Box, str] = {}
    for row, values in zip(table.rows, table.extract(), strict=False):
        for box, value in zip(row.cells, values, strict=False):
            if box is not None:
                texts[box] = value or ""
    placed: list[Placed] = []
    covered: set[tuple[int, int]] = set()
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        placed.append(Placed(r0, c0, r1 - r0, c1 - c0, texts.get(box, ""), tuple(box)))
        covered.update((r, c) for r in range(r0, r1) for c in range(c0, c1))
    placed.sort(key=lambda p: (p.row, p.col))
    n_rows = len(ys) - 1
    holes = n_rows * (len(xs) - 1) - len(covered)
    return PageTable(page, tuple(table.bbox), xs, placed, n_rows, [page] * n_rows), holes


def _box_edges(box: Box) -> list[dict[str, Any]]:
    x0, top, x1, bottom = box
    h = {"object_type": "box_edge", "orientation": "h", "x0": x0, "x1": x1, "width": x1 - x0, "height": 0}
    v = {
        "object_type": "box_edge",
        "orientation": "v",
        "top": top,
        "bottom": bottom,
        "height": bottom - top,
        "width": 0,
    }
    return [
        {**h, "top": top, "bottom": top},
        {**h, "top": bottom, "bottom": bottom},
        {**v, "x0": x0, "x1": x0},
        {**v, "x0": x1, "x1": x1},
    ]


def _outline(box: Box, verticals: list[dict[str, Any]]) -> Box:
    """The table box stretched to the ends of its vertical rulings: at a page break Word often
    leaves the last row without its bottom ruling (or the first without its top one)."""
    x0, top, x1, bottom = box
    inside = [
        e
        for e in verticals
        if x0 - TOLERANCE <= e["x0"] <= x1 + TOLERANCE
        and e["top"] <= bottom + TOLERANCE
        and e["bottom"] >= top - TOLERANCE
    ]
    new_top = min([top] + [e["top"] for e in inside])
    new_bottom = max([bottom] + [e["bottom"] for e in inside])
    if top - new_top > TOLERANCE or new_bottom - bottom > TOLERANCE:
        return (x0, new_top, x1, new_bottom)
    return box


def find_tables(page: Any, number: int) -> list[PageTable]:
    """Tables of at least two columns; single-column boxes are framed prose. A one-row table is
    kept for now: it may be the last row of a table continued from the page before."""
    filtered = page.filter(_keep)
    built = [_build(t, number) for t in filtered.find_tables(SETTINGS)]
    verticals = [e for e in filtered.edges if e["orientation"] == "v"]
    outlines = [(t.bbox, _outline(t.bbox, verticals), holes) for t, holes in built]
    broken = [new for old, new, holes in outlines if holes or new != old]
    if broken:
        # Closing the outline of a table with a missing ruling gives its open cells their box.
        edges = [e for box in broken for e in _box_edges(box)]
        settings = {**SETTINGS, "explicit_vertical_lines": edges, "explicit_horizontal_lines": edges}
        built = [_build(t, number) for t in filtered.find_tables(settings)]
    return [t for t, _ in built if len(t.xs) > 2]


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
        prev.cells.append(Placed(p.row + offset, col, p.rowspan, span, p.text, p.box))
    prev.n_rows += cont.n_rows - skip - split
    prev.row_pages += cont.row_pages[skip + split :]
    prev.cells.sort(key=lambda p: (p.row, p.col))
    return True
