"""The original beside the tables: the part of a document's source that shows where a cell was read.

PDF, and images read by OCR: the page picture, with the cell's box drawn over it (an SVG in the
box's units — PDF points, image pixels — over the rendered page, so the box needs no inline style
and scales with the picture). Text: the numbered lines around the
line, the line marked (and in a line that holds a whole report, the printed value near its
position). Web pages and Word files: the reader's table with the cell marked, or the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ogi.web.jobs import GridView, ParagraphView, Source, read_source
from ogi.web.services import Services

CONTEXT_LINES = 12
LONG_LINE = 240
VIEW = (440.0, 280.0)
"""Points of the page shown around a box (width, height): the cell large enough to read, with
its row label and column header in sight on most layouts."""


@dataclass
class SourceExcerpt:
    kind: str
    """pages, lines, blocks, none."""
    page: int | None = None
    pages: int = 0
    width: float = 0
    height: float = 0
    view: tuple[float, float, float, float] = (0, 0, 0, 0)
    box: tuple[float, float, float, float] | None = None
    lines: list[tuple[int, str, bool]] = field(default_factory=list)
    snippet: tuple[str, str, str] | None = None
    """Text before, the marked part, text after, for a value inside a very long line."""
    blocks: list[ParagraphView | GridView] = field(default_factory=list)
    mark_table: int | None = None
    mark_cell: tuple[int, int] | None = None
    mark_line: int | None = None
    error: str | None = None


async def source_of(services: Services, report: dict[str, Any]) -> Source:
    sha, fmt = report["sha256"], report["format"]

    async def load() -> Source:
        try:
            data = await services.raw_bytes(sha)
        except OSError as e:
            return Source("none", error=f"原文件不在存储中（{e.strerror or e}）")
        return await services.pool.run(read_source, data, report["path"], fmt)

    return await services.sources.get((sha, fmt), load)


def _page(source: Source, page: int | None, box: list[float] | None) -> SourceExcerpt:
    n = len(source.pages)
    page = page if page and 1 <= page <= n else 1
    width, height = source.pages[page - 1]
    out = SourceExcerpt("pages", page=page, pages=n, width=width, height=height, view=(0, 0, width, height))
    if box and len(box) == 4:
        x0, y0, x1, y1 = box
        out.box = (x0, y0, x1 - x0, y1 - y0)
        w, h = min(VIEW[0] * source.per_point, width), min(VIEW[1] * source.per_point, height)
        left = min(max(0.0, (x0 + x1) / 2 - w / 2), width - w)
        top = min(max(0.0, (y0 + y1) / 2 - h / 2), height - h)
        out.view = (round(left, 2), round(top, 2), w, h)
    return out


def _lines(source: Source, line: int | None, char: int | None, printed: str | None) -> SourceExcerpt:
    lines = source.lines
    target = line if line and 1 <= line <= len(lines) else None
    centre = target or 1
    first = max(1, centre - CONTEXT_LINES)
    last = min(len(lines), centre + CONTEXT_LINES)
    shown = [(n, _clip(lines[n - 1]), n == target) for n in range(first, last + 1)]
    out = SourceExcerpt("lines", lines=shown, mark_line=target)
    if target and len(lines[target - 1]) > LONG_LINE:
        out.snippet = _snippet(lines[target - 1], char, printed)
    return out


def _clip(text: str) -> str:
    return text if len(text) <= LONG_LINE else text[:LONG_LINE] + "…"


def _snippet(text: str, char: int | None, printed: str | None) -> tuple[str, str, str]:
    """The printed value inside a long line, found nearest the recorded position."""
    at = (char or 1) - 1
    start, length = at, 1
    if printed:
        hits = [m.start() for m in re.finditer(re.escape(printed), text)]
        if hits:
            start, length = min(hits, key=lambda i: abs(i - at)), len(printed)
    lo, hi = max(0, start - 80), min(len(text), start + length + 80)
    return text[lo:start], text[start : start + length], text[start + length : hi]


def _blocks(source: Source, parts: dict[str, int]) -> SourceExcerpt:
    table, line = parts.get("table"), parts.get("line")
    if table is not None:
        for i, b in enumerate(source.blocks):
            if isinstance(b, GridView) and b.index == table:
                cell = _covering(b, parts.get("row"), parts.get("col"))
                before = [x for x in source.blocks[max(0, i - 1) : i] if isinstance(x, ParagraphView)]
                return SourceExcerpt("blocks", blocks=[*before, b], mark_table=table, mark_cell=cell)
    if line is not None:
        for i, b in enumerate(source.blocks):
            if isinstance(b, ParagraphView) and b.line == line:
                return SourceExcerpt("blocks", blocks=source.blocks[max(0, i - 3) : i + 4], mark_line=line)
    return SourceExcerpt("blocks", blocks=source.blocks[:12])


def _covering(grid: GridView, row: int | None, col: int | None) -> tuple[int, int] | None:
    """The (row, col) of the grid cell whose span covers a position."""
    if row is None or col is None:
        return None
    for line in grid.rows:
        for c in line:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c.row, c.col
    return None


def excerpt(
    source: Source,
    parts: dict[str, int],
    *,
    page: int | None = None,
    box: list[float] | None = None,
    printed: str | None = None,
) -> SourceExcerpt:
    """The part of ``source`` to show for a cell read at ``parts`` (page/line/table/row/col/char)."""
    if source.kind == "pages":
        return _page(source, page or parts.get("page"), box)
    if source.kind == "lines":
        return _lines(source, parts.get("line"), parts.get("char"), printed)
    if source.kind == "blocks":
        return _blocks(source, parts)
    return SourceExcerpt("none", error=source.error)
