"""Render a report as an Excel workbook: one A4 sheet laid out like the printed report.

Tables of different widths share one sheet, so the sheet's columns are the union of every table's
column boundaries and each table cell is a merged range over the columns it covers. Numbers are
numbers (counts integers, amounts with exactly their own decimals, changes signed), so the tables
can be summed in Excel; empty cells stay empty.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ogi.render import style
from ogi.render.layout import Block, Span

CM_PER_CHAR = 0.19  # Excel column width unit (one "0" of the default font) in cm, roughly
PT_PER_CM = 72 / 2.54
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL, HEADER = "表格", "表格标题"


def _named_styles(wb: Workbook) -> None:
    """Table cells get their font, rulings and alignment from two named styles: setting them
    one attribute at a time makes openpyxl hash a style object per cell, the slow part of a sheet."""
    for name, font in ((CELL, style.BODY_FONT), (HEADER, style.HEADING_FONT)):
        wb.add_named_style(
            NamedStyle(
                name=name,
                font=Font(name=font, size=style.TABLE_PT),
                border=BOX,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
        )


def _merge(ws: Worksheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    # Straight into the sheet's set of merges: ``merge_cells`` checks every earlier merge for
    # overlap and restyles the covered cells, quadratic work a laid-out sheet does not need.
    ref = CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord
    ws.merged_cells.ranges.add(MergedCellRange(ws, ref))


def _boundaries(blocks: list[Block]) -> list[float]:
    """Every table's column boundaries in cm, merged into one sorted list."""
    edges = {0.0, round(style.TEXT_WIDTH_CM, 2)}
    for b in blocks:
        if b.kind == "table":
            acc = 0.0
            for w in style.column_widths(b.width):
                acc += w
                edges.add(round(acc, 2))
    return sorted(edges)


def _number(text: str) -> int | Decimal | None:
    if not _NUMBER.fullmatch(text):
        return None
    return Decimal(text) if "." in text else int(text)


def _number_format(value: int | Decimal, signed: bool) -> str:
    if isinstance(value, Decimal):
        places = max(0, -int(value.as_tuple().exponent))
        return "0." + "0" * places if places else "0"
    return "+0;-0;0" if signed else "0"


def _lines(text: str, width_cm: float, size_pt: float) -> int:
    per_line = max(1, int(width_cm / (size_pt / PT_PER_CM)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in (text.split("\n") or [""]))


class _Sheet:
    def __init__(self, ws: Worksheet, edges: list[float]) -> None:
        self.ws = ws
        self.edges = edges
        self.row = 1
        for i in range(len(edges) - 1):
            ws.column_dimensions[get_column_letter(i + 1)].width = (edges[i + 1] - edges[i]) / CM_PER_CHAR

    def column(self, cm: float) -> int:
        return self.edges.index(round(cm, 2)) + 1

    def line(self, text: str, font: Font, align: str, size_pt: float, height_pt: float) -> None:
        _merge(self.ws, self.row, 1, self.row, len(self.edges) - 1)
        cell = self.ws.cell(self.row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        # Excel does not grow a merged row to fit its text: the height is set from the line count.
        self.ws.row_dimensions[self.row].height = height_pt * _lines(text, style.TEXT_WIDTH_CM, size_pt)
        self.row += 1

    def table(self, block: Block) -> None:
        widths = style.column_widths(block.width)
        starts = [sum(widths[:i]) for i in range(len(widths) + 1)]
        size = style.TABLE_PT
        heights = [size * 1.6] * len(block.table)
        for row in block.table:
            for s in row:
                self._cell(s, starts)
                if s.rowspan == 1:
                    lines = _lines(s.text, starts[s.col + s.colspan] - starts[s.col] - 0.1, size)
                    heights[s.row] = max(heights[s.row], lines * size * 1.35 + 4)
        for i, h in enumerate(heights):
            self.ws.row_dimensions[self.row + i].height = h
        self.row += len(block.table) + 1

    def _cell(self, s: Span, starts: list[float]) -> None:
        r0, r1 = self.row + s.row, self.row + s.row + s.rowspan - 1
        c0, c1 = self.column(starts[s.col]), self.column(starts[s.col + s.colspan]) - 1
        if r1 > r0 or c1 > c0:
            _merge(self.ws, r0, c0, r1, c1)
        value = _number(s.text) if s.key is not None else None
        named = HEADER if s.header else CELL
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self.ws.cell(r, c).style = named  # the rulings of a merged range are its cells'
        cell = self.ws.cell(r0, c0, value if value is not None else (s.text or None))
        if value is not None:
            cell.number_format = _number_format(value, s.text[:1] in "+-")


def draw(blocks: list[Block]) -> bytes:
    wb = Workbook()
    _named_styles(wb)
    ws = wb.active
    ws.title = "报告"
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    inch = 2.54
    ws.page_margins.top, ws.page_margins.bottom = style.MARGINS_CM["top"] / inch, style.MARGINS_CM["bottom"] / inch
    ws.page_margins.left, ws.page_margins.right = style.MARGINS_CM["left"] / inch, style.MARGINS_CM["right"] / inch
    sheet = _Sheet(ws, _boundaries(blocks))
    body = Font(name=style.BODY_FONT, size=style.BODY_PT)
    heading = Font(name=style.HEADING_FONT, size=style.BODY_PT)
    signs = [b for b in blocks if b.kind == "sign"]
    for b in blocks:
        if b.kind == "table":
            sheet.table(b)
        elif b.kind == "title":
            sheet.line(b.text, Font(name=style.HEADING_FONT, size=style.TITLE_PT), "center", style.TITLE_PT, 36)
            sheet.row += 1
        elif b.kind == "heading":
            sheet.line("\u3000\u3000" + b.text, heading, "left", style.BODY_PT, style.LINE_PT)
        elif b.kind == "sign":
            sheet.row += b is signs[0]  # a blank line before the signature
            sheet.line(b.text, body, "right", style.BODY_PT, style.LINE_PT)
        else:
            sheet.line("\u3000\u3000" + b.text, body, "justify", style.BODY_PT, style.LINE_PT)
    wb.properties.title = next((b.text for b in blocks if b.kind == "title"), "")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
