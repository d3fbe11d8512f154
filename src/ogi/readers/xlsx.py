"""XLSX reader (openpyxl): each sheet in order, ruled rows as tables, other rows as paragraphs.

Spreadsheet forms draw their tables with cell borders and lay out the text around them in merged
rows, so a run of rows with bordered cells is a table and every other non-empty row a paragraph.
Merged ranges become spans; a sheet's columns are often a fine layout grid shared by tables of
different widths, so columns where no cell of a table starts are dropped from that table.
Numbers come back as the value Excel stores (a float is printed in its shortest exact form).

The workbook is opened read-only (fast: openpyxl's full load styles every merged cell, seconds for a
form with hundreds of merges); the merged ranges are read from each sheet's XML.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

import lxml.etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from ogi.errors import InputError
from ogi.model import Document, Paragraph, Where
from ogi.model.document import Block
from ogi.readers._util import Placed, cell_text, clean, decode_error, expand, find_published


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True, slots=True)
class _Cell:
    row: int
    column: int
    value: Any
    ruled: bool


def _ruled(cell: Any) -> bool:
    b = getattr(cell, "border", None)
    return b is not None and any(side is not None and side.style for side in (b.left, b.right, b.top, b.bottom))


def _merges(sheet_xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range of a sheet."""
    root = lxml.etree.fromstring(sheet_xml)
    return [range_boundaries(m.get("ref")) for m in root.iter(SHEET_NS + "mergeCell") if m.get("ref")]


def _sheet_blocks(rows: list[list[_Cell]], merges: list[tuple[int, int, int, int]], tables_before: int) -> list[Block]:
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # origin → (rowspan, colspan)
    covered: set[tuple[int, int]] = set()
    for c0, r0, c1, r1 in merges:
        merged[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        covered.discard((r0, c0))
    ruled = [any(c.ruled for c in row) for row in rows]
    blocks: list[Block] = []
    r = 0
    while r < len(rows):
        if not ruled[r]:
            text = clean(" ".join(_text(c.value) for c in rows[r] if (c.row, c.column) not in covered))
            if text:
                blocks.append(Paragraph(text, Where(line=rows[r][0].row)))
            r += 1
            continue
        end = r
        while end < len(rows) and ruled[end]:
            end += 1
        tables_before += 1
        blocks.append(_table(rows[r:end], merged, covered, tables_before))
        r = end
    return blocks


def _table(
    rows: list[list[_Cell]],
    merged: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
    index: int,
) -> Block:
    top, bottom = rows[0][0].row, rows[-1][0].row
    cols = [c.column for row in rows for c in row if c.ruled or c.value is not None]
    left = min(cols)
    placed = []
    for row in rows:
        for c in row:
            if (c.row, c.column) in covered or c.column < left or not (c.ruled or c.value is not None):
                continue
            rowspan, colspan = merged.get((c.row, c.column), (1, 1))
            rowspan = min(rowspan, bottom - c.row + 1)  # a merge running past the table's last row
            placed.append(Placed(c.row - top, c.column - left, rowspan, colspan, cell_text(_text(c.value).split("\n"))))
    return expand(placed, bottom - top + 1, index)


def read(data: bytes, source: str) -> Document:
    if not data.startswith(b"PK"):
        raise InputError(source, "not an XLSX file (no ZIP container)")
    blocks: list[Block] = []
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
        with zipfile.ZipFile(BytesIO(data)) as z:
            for ws in wb.worksheets:
                if ws.sheet_state != "visible":
                    continue
                rows = [
                    [_Cell(r, c, getattr(cell, "value", None), _ruled(cell)) for c, cell in enumerate(row, 1)]
                    for r, row in enumerate(ws.iter_rows(), 1)
                ]
                # The sheet's own XML: read-only worksheets do not expose their merged ranges.
                merges = _merges(z.read(ws._worksheet_path))  # type: ignore[union-attr]
                blocks += _sheet_blocks(rows, merges, sum(not isinstance(b, Paragraph) for b in blocks))
        wb.close()
    except (zipfile.BadZipFile, KeyError, OSError, lxml.etree.XMLSyntaxError) as exc:
        raise InputError(source, f"not a readable Excel workbook ({decode_error(exc)})") from exc
    except Exception as exc:
        raise InputError(source, f"the Excel workbook is damaged ({decode_error(exc)})") from exc
    if not blocks:
        raise InputError(source, "the Excel workbook has no text")
    doc = Document(source=source, format="xlsx", blocks=blocks)
    if clean(wb.properties.title or ""):
        doc.meta["title"] = clean(wb.properties.title or "")
    published = find_published(b.text for b in blocks[:400] if isinstance(b, Paragraph))
    if published:
        doc.meta["published"] = published
    return doc
