"""Render a report as a Word (DOCX) file with the official merged-cell tables.

Merges are made with python-docx's ``merge``, which writes ``w:gridSpan`` and ``w:vMerge`` the
way Word does, so the DOCX reader is tested against real merge markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ogi.render.html import Span, outline

Value = int | Decimal | None
FONT = "宋体"
# Column widths in cm by table width, roughly as the official templates print them: wide label
# columns, narrow number columns.
WIDTHS = {4: [4.5, 3.5, 3.5, 3.5], 10: [1.0, 1.7, 3.8] + [1.2] * 7, 15: [1.0] * 15}


def _add_table(document: docx.document.Document, rows: list[list[Span]]) -> None:
    n_cols = max(s.col + s.colspan for row in rows for s in row)
    table = document.add_table(rows=len(rows), cols=n_cols)
    table.style = "Table Grid"
    table.autofit = False
    # Index cells once: python-docx recomputes its cell list on every table.cell() call.
    tcs = [list(r.cells) for r in table.rows]
    widths = WIDTHS.get(n_cols, [15.0 / n_cols] * n_cols)
    for c, width in enumerate(widths):
        table.columns[c].width = Cm(width)
        for row_cells in tcs:
            row_cells[c].width = Cm(width)
    for row in rows:
        for s in row:
            cell = tcs[s.row][s.col]
            if s.rowspan > 1 or s.colspan > 1:
                cell = cell.merge(tcs[s.row + s.rowspan - 1][s.col + s.colspan - 1])
            lines = s.text.split("\n")
            cell.text = lines[0]
            paragraph = cell.paragraphs[0]
            for line in lines[1:]:
                paragraph.add_run().add_break()
                paragraph.add_run(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def render_docx(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str,
    year: int,
    published: date | None,
    sections: Mapping[str, str],
) -> bytes:
    """The report as DOCX bytes; blank (None) cells stay empty."""
    blocks = outline(template_id, cells, agency=agency, year=year, published=published, sections=sections)
    document = docx.Document()
    document.core_properties.title = str(blocks[0][1])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    # East Asian text takes its font from w:eastAsia, which python-docx does not set.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for kind, content in blocks:
        if kind == "table":
            assert isinstance(content, list)
            _add_table(document, content)
        elif kind == "title":
            p = document.add_paragraph(str(content), style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            document.add_paragraph(str(content), style="Heading 1")
        else:
            p = document.add_paragraph(str(content))
            if kind == "date":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = BytesIO()
    document.save(out)
    return out.getvalue()
