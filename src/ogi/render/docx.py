"""Render a report as a Word (DOCX) file in the official layout: A4 with the 公文 margins, 黑体
title and headings, 仿宋 body, tables with real merged cells.

Merges are made with python-docx's ``merge``, which writes ``w:gridSpan`` and ``w:vMerge`` the
way Word does, so the DOCX reader is tested against real merge markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from html import escape
from io import BytesIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

from ogi.render import style
from ogi.render.layout import Block, Span, outline

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


def _styles(document: docx.document.Document) -> dict[str, str]:
    """The document's paragraph styles, by the block kind they are for → style id."""
    styles = document.styles
    normal = styles["Normal"]
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
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Pt(2 * style.BODY_PT)  # two characters, as 公文 indent every paragraph
    for name, size in (("Title", style.TITLE_PT), ("Heading 1", style.BODY_PT)):
        s = styles[name]
        _font(s, style.HEADING_FONT, size)
        f = s.paragraph_format
        f.space_before = Pt(0)
        f.space_after = Pt(style.LINE_PT if name == "Title" else 0)
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(36 if name == "Title" else style.LINE_PT)
        f.first_line_indent = Pt(0 if name == "Title" else 2 * style.BODY_PT)
        f.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Title" else WD_ALIGN_PARAGRAPH.LEFT
        # Word's Title style draws a rule under the title; the official form has none.
        ppr = s.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    sign = styles.add_style("落款", WD_STYLE_TYPE.PARAGRAPH)
    sign.base_style = normal
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.first_line_indent = Pt(0)
    # Table cells take their font from a paragraph style, set once.
    for font in (style.BODY_FONT, style.HEADING_FONT):
        s = styles.add_style(_cell_style(font), WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        _font(s, font, style.TABLE_PT)
        f = s.paragraph_format
        f.alignment = WD_ALIGN_PARAGRAPH.CENTER
        f.line_spacing_rule = WD_LINE_SPACING.SINGLE
        f.first_line_indent = Cm(0)
    return {"title": styles["Title"].style_id, "heading": styles["Heading 1"].style_id, "sign": sign.style_id}


def _cell_style(font: str) -> str:
    return f"表格{font}"


def _page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(style.PAGE_CM[0]), Cm(style.PAGE_CM[1])
    section.top_margin, section.bottom_margin = Cm(style.MARGINS_CM["top"]), Cm(style.MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(style.MARGINS_CM["left"]), Cm(style.MARGINS_CM["right"])


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _tc(width: int, span: int, merge: str | None, text: str, style_id: str, keep: bool) -> str:
    """One ``w:tc``: width, column span, vertical merge (``restart`` or ``continue``), the text."""
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    pr += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    pr += f'<w:vMerge w:val="{merge}"/>' if merge else ""
    ppr = f'<w:pStyle w:val="{style_id}"/>' + ("<w:keepNext/>" if keep else "")
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' for line in text.split("\n") if line
    )
    return f'<w:tc><w:tcPr>{pr}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p></w:tc>'


def _table_xml(block: Block, table_style: str, cell_styles: dict[bool, str]) -> str:
    """The table as WordprocessingML, merges written the way Word writes them: ``w:gridSpan`` for
    columns, ``w:vMerge`` restart/continue down the rows, a ``w:tc`` at every covered row position.
    Built as text: python-docx's cell merging costs most of a report's render time."""
    n_cols = block.width
    widths = [_twips(w) for w in style.column_widths(n_cols)]
    origin: dict[tuple[int, int], Span] = {}
    below: dict[tuple[int, int], Span] = {}  # positions a vertical merge covers, by its first column
    for row in block.table:
        for s in row:
            origin[(s.row, s.col)] = s
            for r in range(s.row + 1, s.row + s.rowspan):
                below[(r, s.col)] = s
    first_values = next((i for i, row in enumerate(block.table) if any(s.key for s in row)), 0)
    margin = _twips(CELL_MARGIN_CM)
    out = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    for r in range(len(block.table)):
        # A row never breaks across pages, and the header rows stay with the first row of values.
        keep = r < first_values
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        c = 0
        while c < n_cols:
            s = origin.get((r, c))
            if s is not None:
                merge = "restart" if s.rowspan > 1 else None
                text, style_id = s.text, cell_styles[s.header]
            else:
                s = below[(r, c)]
                merge, text, style_id = "continue", "", cell_styles[False]
            width = sum(widths[c : c + s.colspan])
            out.append(_tc(width, s.colspan, merge, text, style_id, keep))
            c += s.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _add_table(document: docx.document.Document, block: Block) -> None:
    cell_styles = {
        h: document.styles[_cell_style(style.HEADING_FONT if h else style.BODY_FONT)].style_id for h in (False, True)
    }
    xml = _table_xml(block, document.styles["Table Grid"].style_id, cell_styles)
    document.element.body.sectPr.addprevious(parse_xml(xml))


def draw(blocks: list[Block]) -> bytes:
    """DOCX bytes for a report's blocks; blank (None) cells stay empty."""
    document = docx.Document()
    document.core_properties.title = next((b.text for b in blocks if b.kind == "title"), "")
    _page(document)
    ids = _styles(document)
    signs = [b for b in blocks if b.kind == "sign"]
    for i, b in enumerate(blocks):
        if b.kind == "table":
            _add_table(document, b)
            # A paragraph between a table and the next heading keeps Word from joining them.
            document.add_paragraph().paragraph_format.line_spacing = Pt(8)
            continue
        if b.kind == "sign" and b is signs[0]:
            document.add_paragraph().paragraph_format.keep_with_next = True
        p = document.add_paragraph(b.text)
        if b.kind in ids:
            p._p.style = ids[b.kind]  # by id: python-docx looks a style name up in every style
        # A table stays with the paragraph that introduces it, and the signature with the last
        # paragraph: a page holding nothing but the agency and the date is not a page of a report.
        following = blocks[i + 1].kind if i + 1 < len(blocks) else None
        if following in ("table", "sign"):
            p.paragraph_format.keep_with_next = True
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
