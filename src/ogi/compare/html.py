"""The 比对报告 as an HTML fragment (for the web app's page) or a whole printable page.

The same sections as the DOCX: basics, main figures with the chart (inline SVG, drawn on the
server), every cell either year gives with its flags and source, the findings, and each section's
text with the passages reused from last year marked (``<mark>``).
"""

from __future__ import annotations

from html import escape

from ogi.compare.docx import change, number
from ogi.compare.model import SEVERITY_WORDS, Comparison
from ogi.overview.charts import ChartError

_CSS = """
.cmp{font-family:"Noto Serif CJK SC","Source Han Serif SC",serif;max-width:60rem}
.cmp h1{font-size:1.4rem;text-align:center}.cmp h2{font-size:1.15rem;margin-top:1.5rem}
.cmp table{border-collapse:collapse;margin:.5rem 0}.cmp td,.cmp th{border:1px solid #999;padding:.15rem .4rem}
.cmp td.n{text-align:right;font-variant-numeric:tabular-nums}.cmp mark{background:#ddd}
.cmp .issue{margin:.3rem 0}.cmp .tag{font-weight:bold}
@media print{@page{size:A4;margin:2cm}}
"""


def _cells(values: list[str], numeric_from: int = 1) -> str:
    return "".join(f"<td{' class=n' if i >= numeric_from else ''}>{escape(v)}</td>" for i, v in enumerate(values))


def render_fragment(c: Comparison, *, chart: bool = True) -> str:
    """The comparison as an HTML fragment (a ``<div class="cmp">``)."""
    out = [
        f'<div class="cmp"><h1>{escape(c.agency)}<br>{c.year}年与{c.prev_year}年政府信息公开工作年度报告比对报告</h1>'
    ]
    prev = (
        f"{c.prev_year}年报告：{'、'.join(c.prev_sources)}，发布日期{c.prev_published or '未印'}。"
        if c.prev_id is not None
        else f"库中没有{c.prev_year}年报告。"
    )
    out.append(
        f"<h2>一、基本情况</h2><p>{c.year}年报告：{escape('、'.join(c.sources))}，发布日期"
        f"{escape(str(c.published or '未印'))}。{escape(prev)}发现的问题{len(c.issues)}条。</p>"
    )
    out.append(
        "<p>「推」：原文未印、按勾稽关系推算；「疑」：不确定读数；「审」：人工核对后的数；「—」：原文未给出。</p>"
    )
    out.append(
        f"<h2>二、主要数字对比</h2><table><tr><th>项目</th><th>{c.prev_year}年</th><th>{c.year}年</th><th>增减</th></tr>"
    )
    for name, r in c.headline():
        values = (
            [name, number(r.prev, r.prev_flag), number(r.cur, r.cur_flag), change(r)] if r else [name, "—", "—", ""]
        )
        out.append(f"<tr>{_cells(values)}</tr>")
    out.append("</table>")
    if chart:
        try:
            out.append(f'<figure class="chart">{c.chart().svg()}</figure>')
        except ChartError as e:
            out.append(f"<p>（图未画出：{escape(str(e))}）</p>")
    out.append("<h2>三、表格逐项比对</h2>")
    sourced = any(r.source for r in c.rows)
    out.append(
        f"<table><tr><th>表</th><th>项目</th><th>{c.prev_year}年</th><th>{c.year}年</th><th>增减</th>"
        f"{'<th>本年来源</th>' if sourced else ''}</tr>"
    )
    for r in c.changed():
        values = [r.table, r.label, number(r.prev, r.prev_flag), number(r.cur, r.cur_flag), change(r)]
        source = f"<td>{escape(r.source or '')}</td>" if sourced else ""
        out.append(f"<tr>{_cells(values, 2)}{source}</tr>")
    out.append("</table><h2>四、发现的问题</h2>")
    if not c.issues:
        out.append("<p>表内勾稽关系、跨年度衔接和各来源之间均未发现问题。</p>")
    for i, issue in enumerate(c.issues, 1):
        tag = f"{i}. 【{issue.scope}·{SEVERITY_WORDS.get(issue.severity, issue.severity)}】"
        out.append(f'<p class="issue"><span class="tag">{escape(tag)}</span>{escape(issue.message)}</p>')
    out.append("<h2>五、文字比对</h2>")
    for s in c.sections:
        ratio = "上年无此部分" if s.similarity is None else f"相似度{s.similarity:.2f}"
        out.append(f"<h3>{escape(s.heading)}（{ratio}{'，疑似照搬上年内容' if s.reused else ''}）</h3><p>")
        out += [f"<mark>{escape(piece)}</mark>" if reused else escape(piece) for piece, reused in s.segments()]
        out.append("</p>")
    out.append("</div>")
    return "".join(out)


def render_page(c: Comparison) -> str:
    """A whole HTML page, printable on A4."""
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(c.agency)} {c.year}年比对报告'
        f"</title><style>{_CSS}</style></head><body>{render_fragment(c)}</body></html>"
    )


__all__ = ["render_fragment", "render_page"]
