"""Render a report as an HTML page in the official layout (format.md §3.2–3.4): A4 print style,
仿宋 body and 黑体 headings with Noto CJK as the fallback, tables with real ``rowspan``/``colspan``.

Value cells carry their cell key in ``data-key``, so a page script (the 填报 form) can find them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from html import escape

from ogi.render.layout import Block, Span, outline, title_of
from ogi.render.style import BODY_CSS, HEADING_CSS, TABLE_PT, column_widths

Value = int | Decimal | None

STYLE = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ font-family: {BODY_CSS}; font-size: 16pt; line-height: 28pt; max-width: 156mm; margin: 2em auto;
       color: #000; }}
h1 {{ font-family: {HEADING_CSS}; font-size: 22pt; line-height: 36pt; font-weight: normal; text-align: center;
     margin: 0 0 28pt; }}
h2 {{ font-family: {HEADING_CSS}; font-size: 16pt; font-weight: normal; text-indent: 2em; margin: 0; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
p.sign {{ text-align: right; text-indent: 0; }}
p.sign.first {{ margin-top: 28pt; }}
table {{ border-collapse: collapse; width: 156mm; table-layout: fixed; line-height: 1.25; margin: 6pt 0 14pt;
         page-break-inside: auto; }}
td {{ font-size: {TABLE_PT}pt; border: 1px solid #000; padding: 2pt 2pt; text-align: center; vertical-align: middle;
      word-break: break-all; }}
td.h {{ font-family: {HEADING_CSS}; }}
"""


def _table(block: Block) -> str:
    widths = column_widths(block.width)
    # border="1": importers that ignore CSS (LibreOffice) still draw the rulings.
    out = ['<table border="1" cellspacing="0">', "<colgroup>"]
    out += [f'<col style="width:{w * 10:.1f}mm">' for w in widths]
    out.append("</colgroup>")
    for row in block.table:
        out.append("<tr>")
        out += [_td(s) for s in row]
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _td(s: Span) -> str:
    attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
    if s.key is not None:
        attrs += f' data-key="{s.key}"'
    elif s.header:
        attrs += ' class="h"'
    body = "<br/>".join(escape(line) for line in s.text.split("\n")) if s.text else "&nbsp;"
    return f"<td{attrs}>{body}</td>"


def draw(blocks: list[Block]) -> str:
    """The page for a report's blocks; blank (None) cells print as ``&nbsp;`` like real portals."""
    title = next((b.text for b in blocks if b.kind == "title"), "")
    body: list[str] = []
    first_sign = True
    for b in blocks:
        if b.kind == "table":
            body.append(_table(b))
        elif b.kind == "title":
            body.append(f"<h1>{escape(b.text)}</h1>")
        elif b.kind == "heading":
            body.append(f"<h2>{escape(b.text)}</h2>")
        elif b.kind == "sign":
            body.append(f'<p class="sign{" first" if first_sign else ""}">{escape(b.text)}</p>')
            first_sign = False
        else:
            body.append(f"<p>{escape(b.text)}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def render_html(
    template_id: str,
    cells: Mapping[str, Value],
    *,
    agency: str | None,
    year: int | None,
    published: date | None,
    sections: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> str:
    """A whole report page from its parts (see :func:`ogi.render.layout.outline`)."""
    return draw(
        outline(template_id, cells, agency=agency, year=year, published=published, sections=sections, labels=labels)
    )


__all__ = ["draw", "render_html", "title_of"]
