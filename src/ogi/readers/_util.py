"""Helpers shared by the readers: whitespace, page numbers, date labels and span expansion."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ogi.model import GridCell, Table, Where

_DIGIT_GAPS = re.compile(r"^[\d\s]+$")
# Page numbers as printed in footers: "-3-", "— 5 —", "第3页", "第 3 页 共 6 页", "3/6".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－~_·]+\s*\d{1,4}\s*[-—–－~_·]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)\s*$"
)
_DATE = r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
_PUBLISHED = re.compile(r"(?:发布日期|发布时间|成文日期|发文日期|印发日期)\s*[:：]?\s*" + _DATE)
# A bare "时间：" or "日期：" label (portal article bars: "来源：…时间：2025-03-10"), but not the
# end of a longer label such as "统计时间：".
# A crawler's or saving tool's stamp (采集时间, 保存时间 …) is not the page's date either.
_BARE_DATE = re.compile(
    r"(?<!统计)(?<!截止)(?<!办理)(?<!受理)(?<!答复)(?<!会议)(?<!采集)(?<!抓取)(?<!爬取)(?<!下载)(?<!保存)(?<!存档)"
    r"(?<!访问)(?<!打印)(?<!浏览)(?:日期|时间)\s*[:：]\s*" + _DATE
)


def clean(text: str) -> str:
    """Collapse every run of whitespace (incl. U+00A0 and U+3000) into one space."""
    return " ".join(text.split())


def cell_text(lines: Iterable[str]) -> str:
    """A table cell's text: its non-blank lines joined with newlines; a number cut into
    pieces by markup (``20 23``) is joined back."""
    out = "\n".join(c for c in (clean(line) for line in lines) if c)
    if " " in out and _DIGIT_GAPS.match(out) and "\n" not in out:
        out = out.replace(" ", "")
    return out


def join_wrapped(a: str, b: str) -> str:
    """Two lines of one paragraph that the layout wrapped: Latin words keep a space between them;
    Chinese text wraps anywhere, inside a number too (「…政府信息 34」「0 条」 is 340)."""
    if a[-1:].isdigit() and b[:1].isdigit() and _CJK.search(a):
        return a + b
    return f"{a} {b}" if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else a + b


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text))


def find_published(texts: Iterable[str]) -> str | None:
    """The first printed publication date (as printed) among short texts, else None."""
    bare = None
    for text in texts:
        if len(text) > 120:
            continue
        m = _PUBLISHED.search(text)
        if m:
            return clean(m.group(1))
        if bare is None and (m := _BARE_DATE.search(text)):
            bare = clean(m.group(1))
    return bare


@dataclass(slots=True)
class Placed:
    """A cell placed on the grid before expansion: origin position, spans and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    box: tuple[float, float, float, float] | None = None
    """The cell's box on its page (PDF: points from the top-left corner), when the source has one."""
    confidence: float | None = None
    """How sure the recogniser was of the text, 0–1 (OCR); None for a text layer."""
    alternatives: tuple[str, ...] = ()
    """Other texts the reader considers possible (OCR), see :attr:`GridCell.alternatives`."""


def expand(
    placed: Iterable[Placed], n_rows: int, index: int, page: int | None = None, row_pages: list[int] | None = None
) -> Table:
    """Build a Table grid: every position covered by a span copies the origin's text and points
    at it; positions no cell covers (a row with fewer cells than the grid) are marked absent, not
    blank: the source printed nothing there. Columns where no cell starts are dropped.
    ``row_pages`` gives each row's page for a table stitched across pages."""

    placed = _drop_empty_columns(list(placed))
    n_cols = len({p.col for p in placed})

    def where(r: int, c: int, p: Placed | None = None) -> Where:
        box, confidence = (p.box, p.confidence) if p is not None else (None, None)
        page_of_row = row_pages[r] if row_pages else page
        return Where(page=page_of_row, table=index, row=r + 1, col=c + 1, box=box, confidence=confidence)

    grid: list[list[GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for p in placed:
        for r in range(p.row, min(p.row + max(p.rowspan, 1), n_rows)):
            for c in range(p.col, min(p.col + max(p.colspan, 1), n_cols)):
                if grid[r][c] is None:
                    origin = None if (r, c) == (p.row, p.col) else (p.row, p.col)
                    alternatives = p.alternatives if origin is None else ()
                    grid[r][c] = GridCell(p.text, where(r, c, p), origin, alternatives=alternatives)
    rows = [[g or GridCell("", where(r, c), absent=True) for c, g in enumerate(row)] for r, row in enumerate(grid)]
    # An origin hidden under an earlier overlapping span loses its own cell: point its
    # copies at the cell that really sits there, so origins always exist as origin cells.
    for row in rows:
        for cell in row:
            if cell.origin is not None:
                orow, ocol = cell.origin
                if rows[orow][ocol].origin is not None:
                    cell.origin = rows[orow][ocol].origin
                    cell.text = rows[orow][ocol].text
    return Table(rows=rows, where=Where(page=page, table=index), exact_columns=True)


def _drop_empty_columns(placed: list[Placed]) -> list[Placed]:
    """Renumber columns so that only those where some cell starts remain. Converters leave sliver
    grid columns from rounding (LibreOffice turns a 15-column table into 16 with one ``gridSpan=2``);
    a column where no cell starts holds only span copies or nothing."""
    starts = sorted({p.col for p in placed})
    rank = {c: i for i, c in enumerate(starts)}
    out = []
    for p in placed:
        end = sum(1 for c in starts if c < p.col + p.colspan)
        out.append(replace(p, col=rank[p.col], colspan=max(1, end - rank[p.col])))
    return out


def decode_error(exc: BaseException) -> str:
    """One line naming an exception, for InputError reasons."""
    text = clean(str(exc)) or type(exc).__name__
    return text[:200]
