"""Read pages → the blocks of a Document, in reading order.

- Ruled tables become exact grids; one continued at the top of the next page with the same column
  rulings is stitched to it by the same function as a text PDF's (:func:`~ogi.readers.pdf.stitch.stitch`).
- Text lines that stand in pieces (a table without rulings: a label, then numbers far to its
  right) become rows of an unruled table, one cell per piece, as a tab-separated text dump gives
  them (``exact_columns`` false): the extractor lines them up with the template as it does those.
- Other lines are prose; a line reaching the right margin runs on into the next one.
- Footer page numbers are dropped.
"""

from __future__ import annotations

import re

from ogi.model import GridCell, Paragraph, Table, Where
from ogi.model.document import Block
from ogi.readers._util import expand, join_wrapped
from ogi.readers.ocr.page import Line, PageRead
from ogi.readers.pdf.layout import is_footer_number, next_below, runs_on
from ogi.readers.pdf.page import PageTable
from ogi.readers.pdf.stitch import stitch

Item = PageTable | Line
VALUE = re.compile(r"^(?:[+\-]?\d[\d.,]*(?:万元|元|件)?|[/／—－\-]+|无)$")


def _is_row(line: Line) -> bool:
    return len(line.pieces) >= 2 and any(VALUE.match(p.text) for p in line.pieces[1:])


def blocks(pages: list[PageRead], notes: list[str]) -> list[Block]:
    seq: list[tuple[Item, PageRead]] = []
    for page in pages:
        items: list[Item] = [ln for ln in page.lines if not is_footer_number(ln, page)]
        items += page.tables
        items.sort(key=lambda it: it.bbox[1] if isinstance(it, PageTable) else it.top)
        for n, item in enumerate(items):
            prev = seq[-1][0] if seq else None
            if (
                n == 0
                and isinstance(item, PageTable)
                and isinstance(prev, PageTable)
                and prev.row_pages[-1] == page.number - 1  # a mixed PDF's text page may lie between
                and stitch(prev, item)
            ):
                notes.append(f"table continued from page {page.number - 1} to page {page.number}")
                continue
            seq.append((item, page))
    out: list[Block] = []
    rows: list[tuple[Line, PageRead]] = []
    prose: list[tuple[Line, PageRead]] = []

    def flush() -> None:
        if rows:
            out.append(_unruled(rows, _tables_in(out) + 1))
            rows.clear()
        if prose:
            out.extend(_paragraphs(prose))
            prose.clear()

    for item, page in seq:
        if isinstance(item, PageTable):
            flush()
            out.append(_ruled(item, _tables_in(out) + 1))
        elif _is_row(item):
            if prose:
                flush()
            rows.append((item, page))
        else:
            if rows:
                flush()
            prose.append((item, page))
    flush()
    return out


def _tables_in(blocks: list[Block]) -> int:
    return sum(isinstance(b, Table) for b in blocks)


def _ruled(t: PageTable, index: int) -> Block:
    if t.n_rows < 2:  # a one-row box that continued nothing: framed text, not a table
        box = _union([p.box for p in t.cells if p.box is not None])
        return Paragraph(t.framed_text, Where(page=t.page, box=box))
    return expand(t.cells, t.n_rows, index, t.page, row_pages=t.row_pages)


def _unruled(rows: list[tuple[Line, PageRead]], index: int) -> Table:
    grid = []
    for r, (line, page) in enumerate(rows):
        grid.append(
            [
                GridCell(
                    p.text,
                    Where(page=page.number, table=index, row=r + 1, col=c + 1, box=p.box, confidence=p.confidence),
                    alternatives=p.alternatives,
                )
                for c, p in enumerate(line.pieces)
            ]
        )
    return Table(grid, Where(page=rows[0][1].number, table=index))


def _paragraphs(lines: list[tuple[Line, PageRead]]) -> list[Paragraph]:
    """Wrapped lines joined: a line reaching the right margin runs on unless the next is indented."""
    out: list[Paragraph] = []
    prev: tuple[Line, PageRead] | None = None
    for line, page in lines:
        box = _union([p.box for p in line.pieces])
        confidence = min(p.confidence for p in line.pieces)
        if prev is not None and _runs_on(prev, (line, page)):
            last = out[-1]
            w = last.where
            where = Where(page=w.page, box=w.box, confidence=min(confidence, w.confidence or 1.0))
            out[-1] = Paragraph(join_wrapped(last.text, line.text), where)
        else:
            out.append(Paragraph(line.text, Where(page=page.number, box=box, confidence=confidence)))
        prev = (line, page)
    return out


def _runs_on(a: tuple[Line, PageRead], b: tuple[Line, PageRead]) -> bool:
    (la, pa), (lb, pb) = a, b
    right = max(ln.x1 for ln in pa.lines) if pa.lines else la.x1
    left = min(ln.x0 for ln in pb.lines) if pb.lines else lb.x0
    return runs_on(la, lb, left, right) and (pa is not pb or next_below(la, lb))


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
