"""The 比对报告 as a Word document (python-docx): A4, Noto CJK fonts, printable in black and white.

LibreOffice turns it into the PDF (:mod:`ogi.compare.run`), embedding the fonts. Sections: the
basics, the main figures (table and chart), every cell that either year gives (flags marked), the
findings in plain Chinese, and each section's text with the passages reused from last year shaded.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ogi.compare.model import FLAG_MARKS, SEVERITY_WORDS, Comparison, Row

BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"
TABLE_STYLE, TABLE_HEAD_STYLE = "ogi table", "ogi table head"
_PAGE = (Cm(21.0), Cm(29.7))


def number(v: Decimal | None, flag: str | None = None) -> str:
    """A cell for print: the value as printed (no trailing zeros), a flag mark, — for no value."""
    if v is None:
        return "—"
    text = format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f").rstrip("0")
    return f"{text}{FLAG_MARKS[flag]}" if flag in FLAG_MARKS else text


def change(row: Row) -> str:
    c = row.change
    if c is None:
        return ""
    text = ("+" if c > 0 else "") + number(c)
    return f"{text}（{row.pct:+.0%}）" if row.pct is not None and abs(row.pct) < 100 else text


def _font(run_or_style: object, name: str, size: float | None = None, bold: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    if size:
        font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _document() -> object:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = _PAGE
    section.left_margin = section.right_margin = Cm(2.4)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _font(doc.styles["Normal"], BODY_FONT, 10.5)
    for level in (1, 2):
        _font(doc.styles[f"Heading {level}"], HEADING_FONT, 14 if level == 1 else 12, True)
        doc.styles[f"Heading {level}"].font.color.rgb = None
    _font(doc.styles["Title"], HEADING_FONT, 16, True)
    # Table cells take their font from one style: setting it run by run is most of the build time.
    for name, font, bold in ((TABLE_STYLE, BODY_FONT, False), (TABLE_HEAD_STYLE, HEADING_FONT, True)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _font(style, font, 9, bold)
        style.paragraph_format.space_after = Pt(0)
    return doc


def _table(doc: object, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    styles = doc.styles  # type: ignore[attr-defined]
    head, body = styles[TABLE_HEAD_STYLE], styles[TABLE_STYLE]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = head
        paragraph.add_run(text)
    for values in rows:
        for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.style = body
            paragraph.add_run(text)
            if i:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def render_docx(c: Comparison, chart_png: bytes | None = None) -> bytes:
    """The comparison as DOCX bytes; ``chart_png`` is the headline chart (drawn by the caller, so a
    batch can skip drawing when matplotlib is missing)."""
    doc = _document()
    title = doc.add_paragraph(style="Title")  # type: ignore[attr-defined]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        title.add_run(f"{c.agency}\n{c.year}年与{c.prev_year}年政府信息公开工作年度报告比对报告"),
        HEADING_FONT,
        16,
        True,
    )
    doc.add_heading("一、基本情况", level=1)  # type: ignore[attr-defined]
    prev = (
        f"{c.prev_year}年报告：{'、'.join(c.prev_sources)}，发布日期{c.prev_published or '未印'}。"
        if c.prev_id is not None
        else f"库中没有{c.prev_year}年报告，以下只列本年数字，跨年度核对无法进行。"
    )
    several = "（同一报告的几个来源已逐格核对合并，各格来源见下表）" if len(c.sources) > 1 else ""
    doc.add_paragraph(  # type: ignore[attr-defined]
        f"比对对象：{c.agency}（{c.region_name or '行政区划未定'}）。{c.year}年报告：{'、'.join(c.sources)}{several}，"
        f"发布日期{c.published or '未印'}。{prev}发现的问题{len(c.issues)}条。"
    )
    doc.add_paragraph(  # type: ignore[attr-defined]
        "数字后标「推」者原文未印、按表内勾稽关系推算；标「疑」者为不确定读数（数字连排，无法唯一拆分）；"
        "标「审」者为人工核对后的数。「—」表示原文未给出。"
    )
    doc.add_heading("二、主要数字对比", level=1)  # type: ignore[attr-defined]
    head = [
        [
            name,
            number(r.prev, r.prev_flag) if r else "—",
            number(r.cur, r.cur_flag) if r else "—",
            change(r) if r else "",
        ]
        for name, r in c.headline()
    ]
    _table(doc, ["项目", f"{c.prev_year}年", f"{c.year}年", "增减"], head, [6.0, 3.0, 3.0, 4.2])
    if chart_png:
        doc.add_picture(io.BytesIO(chart_png), width=Cm(15.5))  # type: ignore[attr-defined]
    doc.add_heading("三、表格逐项比对", level=1)  # type: ignore[attr-defined]
    for table, name in (
        ("二", "主动公开政府信息情况"),
        ("三", "收到和处理政府信息公开申请情况"),
        ("四", "政府信息公开行政复议、行政诉讼情况"),
    ):
        rows = [r for r in c.changed() if r.table == table]
        if not rows:
            continue
        doc.add_heading(f"表{table} {name}", level=2)  # type: ignore[attr-defined]
        sourced = any(r.source for r in rows)
        body = [
            [
                r.label,
                number(r.prev, r.prev_flag),
                number(r.cur, r.cur_flag),
                change(r),
                *([r.source or ""] if sourced else []),
            ]
            for r in rows
        ]
        header = ["项目", f"{c.prev_year}年", f"{c.year}年", "增减", *(["本年来源"] if sourced else [])]
        _table(doc, header, body, [7.4, 2.0, 2.0, 2.8, 2.0] if sourced else [8.4, 2.4, 2.4, 3.0])
    doc.add_heading("四、发现的问题", level=1)  # type: ignore[attr-defined]
    if not c.issues:
        doc.add_paragraph("表内勾稽关系、跨年度衔接和各来源之间均未发现问题。")  # type: ignore[attr-defined]
    for i, issue in enumerate(c.issues, 1):
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        _font(
            p.add_run(f"{i}. 【{issue.scope}·{SEVERITY_WORDS.get(issue.severity, issue.severity)}】"),
            HEADING_FONT,
            10,
            True,
        )
        p.add_run(issue.message)
    doc.add_heading("五、文字比对", level=1)  # type: ignore[attr-defined]
    doc.add_paragraph(  # type: ignore[attr-defined]
        "各部分文字与上年报告同一部分比较（4字片段的相似度，数字不计）；加底纹的文字上年报告中也有（20字以上的相同段落）。"
    )
    for s in c.sections:
        ratio = "上年无此部分" if s.similarity is None else f"相似度{s.similarity:.2f}"
        share = (
            f"，沿用上年文字{s.reused_chars()}字，占{s.reused_chars() / len(s.text):.0%}"
            if s.text and s.passages
            else ""
        )
        warn = "（疑似照搬上年内容）" if s.reused else ""
        doc.add_heading(f"{s.heading}（{ratio}{share}）{warn}", level=2)  # type: ignore[attr-defined]
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        for piece, reused in s.segments():
            run = p.add_run(piece)
            if reused:
                run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
    out = io.BytesIO()
    doc.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


__all__ = ["render_docx"]
