"""Render a report as a Word (DOCX) file in the official layout: A4 with the 公文 margins, 黑体
title and headings, 仿宋 body, tables with real merged cells.

Merges are made with python-docx's ``merge``, which writes ``w:gridSpan`` and ``w:vMerge`` the
way Word does, so the DOCX reader is tested against real merge markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

from ogi.render import style
from ogi.render.layout import Block, outline

Value = int | Decimal | None
CELL_MARGIN_CM = 0.05


def _font(target: BaseStyle | object, name: str, size: float, *, bold: bool = False) -> None:
    """Set a style's or run's font for Latin and East Asian text alike, in black."""
    font = target.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    # East Asian text takes its font from w:eastAsia, which python-docx does not set.
    element = target.element if isinstance(target, BaseStyle) else target._element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(document: docx.document.Document) -> None:
    normal = document.styles["Normal"]
    _font(normal, style.BODY_FONT, style.BODY_PT)
    # The language picks the Simplified Chinese glyphs of a pan-CJK font (Noto CJK) over the Japanese.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(style.LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    for name, size in (("Title", style.TITLE_PT), ("Heading 1", style.BODY_PT)):
        s = document.styles[name]
        _font(s, style.HEADING_FONT, size)
        s.paragraph_format.space_before = Pt(0)
        s.paragraph_format.space_after = Pt(style.LINE_PT if name == "Title" else 0)
        s.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        s.paragraph_format.line_spacing = Pt(36 if name == "Title" else style.LINE_PT)
        # Word's Title style draws a rule under the title; the official form has none.
        ppr = s.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    # Table cells take their font from a paragraph style, set once.
    for font in (style.BODY_FONT, style.HEADING_FONT):
        s = document.styles.add_style(_cell_style(font), WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        _font(s, font, style.TABLE_PT)
        fmt = s.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Cm(0)


def _cell_style(font: str) -> str:
    return f"表格{font}"


def _page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(style.PAGE_CM[0]), Cm(style.PAGE_CM[1])
    section.top_margin, section.bottom_margin = Cm(style.MARGINS_CM["top"]), Cm(style.MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(style.MARGINS_CM["left"]), Cm(style.MARGINS_CM["right"])


def _cell_margins(table: docx.table.Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_MARGIN_CM / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _add_table(document: docx.document.Document, block: Block) -> None:
    n_cols = block.width
    table = document.add_table(rows=len(block.table), cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    styles = {h: document.styles[_cell_style(style.HEADING_FONT if h else style.BODY_FONT)].style_id for h in (0, 1)}
    # Index cells once: python-docx recomputes its cell list on every table.cell() call.
    tcs = [list(r.cells) for r in table.rows]
    for c, width in enumerate(style.column_widths(n_cols)):
        table.columns[c].width = Cm(width)
        for row_cells in tcs:
            row_cells[c].width = Cm(width)
    first_values = next((i for i, row in enumerate(block.table) if any(s.key for s in row)), 0)
    for r, tr in enumerate(table.rows):
        # A row never breaks across pages, and the header rows stay with the first row of values.
        tr._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if r < first_values:
            for cell in tcs[r]:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    for row in block.table:
        for s in row:
            cell = tcs[s.row][s.col]
            if s.rowspan > 1 or s.colspan > 1:
                cell = cell.merge(tcs[s.row + s.rowspan - 1][s.col + s.colspan - 1])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            lines = s.text.split("\n")
            paragraph = cell.paragraphs[0]
            paragraph._p.style = styles[s.header]
            paragraph.add_run(lines[0])
            for line in lines[1:]:
                paragraph.add_run().add_break()
                paragraph.add_run(line)


def draw(blocks: list[Block]) -> bytes:
    """DOCX bytes for a report's blocks; blank (None) cells stay empty."""
    document = docx.Document()
    document.core_properties.title = next((b.text for b in blocks if b.kind == "title"), "")
    _page(document)
    _styles(document)
    first_sign = True
    signs = [b for b in blocks if b.kind == "sign"]
    for i, b in enumerate(blocks):
        if b.kind == "table":
            _add_table(document, b)
            # A paragraph between a table and the next heading keeps Word from joining them.
            document.add_paragraph().paragraph_format.line_spacing = Pt(8)
        elif b.kind == "title":
            document.add_paragraph(b.text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "heading":
            document.add_paragraph(b.text, style="Heading 1").paragraph_format.first_line_indent = Pt(2 * style.BODY_PT)
        elif b.kind == "sign":
            if first_sign:
                document.add_paragraph().paragraph_format.keep_with_next = True
                first_sign = False
            p = document.add_paragraph(b.text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # The agency and the date go to the next page together, never one without the other.
            p.paragraph_format.keep_with_next = b is not signs[-1]
        else:
            p = document.add_paragraph(b.text)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Pt(2 * style.BODY_PT)
            p.paragraph_format.keep_with_next = i + 1 < len(blocks) and blocks[i + 1].kind == "table"
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str | None,
    year: int | None,
    published: date | None,
    sections: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The report as DOCX bytes from its parts (see :func:`ogi.render.layout.outline`)."""
    return draw(
        outline(template_id, cells, agency=agency, year=year, published=published, sections=sections, labels=labels)
    )
