"""A PDF's pages in reading order: prose lines joined into paragraphs, tables stitched across
pages, page numbers dropped.

A line reaching the right margin continues into the next one unless that one is indented or far
below; a paragraph the page break cut continues on the next page the same way. A footer line
that is only a page number (``- 3 -``, ``第3页``, a bare number near the page edge) is dropped.
"""

from __future__ import annotations

from typing import Protocol

from ogi.model import Paragraph, Table, Where
from ogi.model.document import Block
from ogi.readers._util import Placed, cell_text, expand, is_page_number, join_wrapped
from ogi.readers.pdf.page import Line, Page, PageTable
from ogi.readers.pdf.stitch import stitch


class TextLine(Protocol):
    """A line of running text on a page, in points from the top-left corner (a text PDF's or a scan's)."""

    top: float
    bottom: float
    x0: float
    x1: float

    @property
    def text(self) -> str: ...


class Sheet(Protocol):
    width: float
    height: float


def is_footer_number(line: TextLine, page: Sheet) -> bool:
    """Whether a line is only the page's number: ``- 3 -``, ``第3页``, or a bare number near the
    page's top or bottom edge."""
    if is_page_number(line.text):
        return True
    if not line.text.isdigit() or len(line.text) > 4:
        return False
    centred = abs((line.x0 + line.x1) / 2 - page.width / 2) < page.width * 0.15
    return line.top > page.height * (0.88 if centred else 0.92) or line.bottom < page.height * 0.06


def _paragraphs(page: Page, dropped: list[int]) -> list[tuple[float, Paragraph, Line]]:
    """Join wrapped lines: a line reaching the right margin continues into the next one
    unless that one is indented or far below."""
    lines = [ln for ln in page.lines if not is_footer_number(ln, page)]
    if len(lines) < len(page.lines):
        dropped.append(page.number)
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    out: list[tuple[float, Paragraph, Line]] = []
    for ln in lines:
        if out and _continues(out[-1][2], ln, left, right, page):
            prev = out[-1]
            out[-1] = (prev[0], Paragraph(join_wrapped(prev[1].text, ln.text), prev[1].where), ln)
        else:
            out.append((ln.top, Paragraph(ln.text, Where(page=page.number)), ln))
    return out


def _continues(a: Line, b: Line, left: float, right: float, page: Page) -> bool:
    if any(a.bottom <= t.bbox[1] and t.bbox[3] <= b.top for t in page.tables):
        return False
    return runs_on(a, b, left, right) and next_below(a, b)


def _em(line: TextLine) -> float:
    return max(line.bottom - line.top, 6.0)


def next_below(a: TextLine, b: TextLine) -> bool:
    """Whether ``b`` stands right under ``a``, no blank line between."""
    return 0 <= b.top - a.bottom < 1.2 * _em(a)


def runs_on(a: TextLine, b: TextLine, left: float, right: float) -> bool:
    """Whether ``b`` is the rest of ``a``'s paragraph by their ends: ``a`` reaches the right margin
    and ``b`` is not indented. How far apart they may be is the caller's (one page, or two)."""
    em = _em(a)
    return a.x1 >= right - 1.5 * em and b.x0 <= left + 0.8 * em


def blocks(pages: list[Page], notes: list[str]) -> list[Block]:
    """Paragraphs and tables in reading order, tables stitched and paragraphs joined across pages."""
    seq: list[Paragraph | PageTable] = []
    dropped: list[int] = []
    prev_line: Line | None = None
    prev_page: Page | None = None
    for page in pages:
        items: list[tuple[float, Paragraph | PageTable, Line | None]] = list(_paragraphs(page, dropped))
        items += [(t.bbox[1], t, None) for t in page.tables]
        items.sort(key=lambda it: it[0])
        for n, (_, item, last_line) in enumerate(items):
            if (
                n == 0
                and seq
                and isinstance(item, PageTable)
                and isinstance(seq[-1], PageTable)
                and seq[-1].row_pages[-1] == page.number - 1  # not across a page that could not be read
                and stitch(seq[-1], item)
            ):
                notes.append(f"table continued from page {page.number - 1} to page {page.number}")
                continue
            if (
                n == 0
                and seq
                and isinstance(item, Paragraph)
                and isinstance(seq[-1], Paragraph)
                and prev_line is not None
                and prev_page is not None
                and last_line is not None
                and _continues_page(prev_line, prev_page, item, page)
            ):
                seq[-1] = Paragraph(join_wrapped(seq[-1].text, item.text), seq[-1].where)
                prev_line = last_line
                continue
            seq.append(item)
            prev_line = last_line
        prev_page = page
    if dropped:
        notes.append(f"dropped page numbers on pages {', '.join(map(str, dropped))}")
    out: list[Block] = []
    tables = 0
    for item in seq:
        if isinstance(item, Paragraph):
            out.append(item)
        elif item.n_rows < 2:  # a one-row box that continued nothing: framed text, not a table
            if text := item.framed_text:
                out.append(Paragraph(text, Where(page=item.page)))
        else:
            tables += 1
            out.append(_table(item, tables))
    return out


def _continues_page(a: Line, a_page: Page, b: Paragraph, b_page: Page) -> bool:
    first = next((ln for ln in b_page.lines if b.text.startswith(ln.text)), None)
    body = [ln for ln in a_page.lines if not is_footer_number(ln, a_page)]
    if first is None or not body:
        return False
    return runs_on(a, first, min(ln.x0 for ln in b_page.lines), max(ln.x1 for ln in body))


def _table(t: PageTable, index: int) -> Table:
    placed = [
        Placed(
            p.row,
            p.col,
            p.rowspan,
            p.colspan,
            cell_text(ln for ln in p.text.split("\n") if not is_page_number(ln)),
            p.box,
        )
        for p in t.cells
    ]
    return expand(placed, t.n_rows, index, t.page, row_pages=t.row_pages)
