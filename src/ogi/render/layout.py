"""The official layout of a report as a list of blocks, shared by every output format.

Title; the six sections in the template's order, each with its heading exactly as the template
prints it, its narrative, and (二, 三, 四) its table as merged-cell spans; the agency and the date
at the end. Each format module (:mod:`~ogi.render.html`, :mod:`~ogi.render.docx`,
:mod:`~ogi.render.xlsx`, :mod:`~ogi.render.markdown`, :mod:`~ogi.render.plaintext`) only
decides how to draw these blocks, so every rendition of one report has the same cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from ogi.model import get_template
from ogi.render._grid import TABLE_SECTIONS, GridCell, Layout, Row, cell_texts, grids

Value = int | Decimal | None
BlockKind = Literal["title", "heading", "para", "table", "sign"]


@dataclass(frozen=True, slots=True)
class Span:
    """An origin cell of a rendered table: position, spans and printed text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    header: bool
    key: str | None = None
    """The cell key of a value cell; None for a label."""


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str = ""
    table: list[list[Span]] = field(default_factory=list)

    @property
    def width(self) -> int:
        """A table's number of grid columns."""
        return max((s.col + s.colspan for row in self.table for s in row), default=0)

    def grid(self) -> list[list[str]]:
        """A table as a plain grid: each origin cell's text at its position, merged areas empty."""
        out = [[""] * self.width for _ in self.table]
        for row in self.table:
            for s in row:
                out[s.row][s.col] = s.text
        return out


def spans(grid: list[Row], texts: Mapping[str, str]) -> list[list[Span]]:
    """Origin cells row by row; a cell's rowspan counts the covered cells below it."""
    starts: list[list[tuple[int, GridCell]]] = []
    for row in grid:
        col, placed = 0, []
        for cell in row:
            placed.append((col, cell))
            col += cell.colspan
        starts.append(placed)
    covered = [{c for c, cell in row if cell.covered} for row in starts]
    out: list[list[Span]] = []
    for r, row in enumerate(starts):
        line = []
        for c, cell in row:
            if cell.covered:
                continue
            rowspan = 1
            while r + rowspan < len(grid) and c in covered[r + rowspan]:
                rowspan += 1
            text = cell.text + texts.get(cell.key, "") if cell.key is not None else cell.text
            line.append(Span(r, c, rowspan, cell.colspan, text, cell.header, cell.key))
        out.append(line)
    return out


def title_of(agency: str | None, year: int | None) -> str:
    return f"{agency or ''}{f'{year}年' if year else ''}政府信息公开工作年度报告"


def date_text(d: date) -> str:
    """A date as a report's signature prints it: 2024年1月20日."""
    return f"{d.year}年{d.month}月{d.day}日"


def outline(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str | None,
    year: int | None,
    published: date | None,
    sections: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> list[Block]:
    """The report as blocks. ``cells`` may lack keys or hold None: those cells print empty.
    Extension keys in ``cells`` (a 小计 column, subtotal rows, extra lines named by ``labels``)
    print their column, row or line."""
    t = get_template(template_id)
    texts = cell_texts(t, cells, trim=True)
    tables = grids(t, Layout.of(t, cells, labels))
    out = [Block("title", title_of(agency, year))]
    for s in t.sections:
        out.append(Block("heading", s.ordinal + s.text))
        text = sections.get(s.key, "")
        out += [Block("para", p.strip()) for p in text.split("\n") if p.strip()]
        if s.key in TABLE_SECTIONS:
            out.append(Block("table", table=spans(tables[s.key], texts)))
    if agency:
        out.append(Block("sign", agency))
    if published is not None:
        out.append(Block("sign", date_text(published)))
    return out
