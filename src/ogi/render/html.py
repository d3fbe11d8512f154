"""Render a report as an HTML page with the official merged-cell tables (format.md §3.2–3.4).

The grids come from :mod:`ogi.render._grid`, the same ones the text shapes print, so every
rendition of one report has the same cells. Here they get real ``rowspan``/``colspan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from ogi.model import get_template
from ogi.render._grid import TABLE_SECTIONS, GridCell, Row, cell_texts, grids

Value = int | Decimal | None


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
    """The cell key of a value cell."""


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
            text = texts.get(cell.key, "") if cell.key is not None else cell.text
            line.append(Span(r, c, rowspan, cell.colspan, text, cell.header, cell.key))
        out.append(line)
    return out


def title_of(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def outline(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str,
    year: int,
    published: date | None,
    sections: Mapping[str, str],
) -> list[tuple[str, str | list[list[Span]]]]:
    """The report as (kind, content) blocks: title, date, heading, para, table."""
    t = get_template(template_id)
    texts = cell_texts(t, cells)
    tables = grids(t)
    out: list[tuple[str, str | list[list[Span]]]] = [("title", title_of(agency, year))]
    if published is not None:
        out.append(("date", f"发布日期：{published.isoformat()}"))
    for s in t.sections:
        out.append(("heading", s.ordinal + s.text))
        out += [("para", p.strip()) for p in sections.get(s.key, "").split("\n") if p.strip()]
        if s.key in TABLE_SECTIONS:
            out.append(("table", spans(tables[s.key], texts)))
    return out


def _table(rows: list[list[Span]]) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="4">']
    for row in rows:
        out.append("<tr>")
        for s in row:
            attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (
                f' colspan="{s.colspan}"' if s.colspan > 1 else ""
            )
            body = "<br/>".join(escape(line) for line in s.text.split("\n")) if s.text else "&nbsp;"
            out.append(f"<td{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str,
    year: int,
    published: date | None,
    sections: Mapping[str, str],
) -> str:
    """A whole report page; blank (None) cells print as ``&nbsp;`` like real portals."""
    blocks = outline(template_id, cells, agency=agency, year=year, published=published, sections=sections)
    title = title_of(agency, year)
    body: list[str] = []
    for kind, content in blocks:
        if kind == "table":
            assert isinstance(content, list)
            body.append(_table(content))
            continue
        text = escape(str(content))
        tag = {"title": "h1", "heading": "h2"}.get(kind, "p")
        body.append(f'<p class="date">{text}</p>' if kind == "date" else f"<{tag}>{text}</{tag}>")
    style = "table{border-collapse:collapse}td{border:1px solid #000;text-align:center}"
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{style}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
