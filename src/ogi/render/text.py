"""Print a report in the text shapes real reports reach us in.

The shapes imitate the seeds and the crawler corpus (``shared/seeds``, ``shared/corpus``):

- ``cell_per_line``: a Word table pasted as text, one cell per TAB-prefixed line, a blank line after
  each row, a bare TAB for each covered part of a merged cell (seeds 000, 001, 004);
- ``tsv``: one table row per line, cells joined by TABs (seed 003);
- ``markdown``: GitHub pipe tables on the official grid, merged areas left blank (seed 002, well-formed);
- ``fullwidth``: ``cell_per_line`` with U+3000/NBSP padding, some full-width digits and header labels
  broken over two lines (seeds 001, 004);
- ``crawler``: a crawler's header block, then the whole body on one line with the table cells run
  together (``shared/corpus/*.txt``).

Variation within a shape (title wording, padding, stray spaces) comes from a seeded generator, so a
given report and seed always print the same text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

from ogi.model.template import Template, get_template
from ogi.render._grid import TABLE_SECTIONS, GridCell, Row, cell_texts, grids

SHAPES: tuple[str, ...] = ("cell_per_line", "tsv", "markdown", "fullwidth", "crawler")
AMOUNT_UNITS: tuple[str, ...] = ("万元", "元")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class ReportLike(Protocol):
    """What a renderer needs; :class:`ogi.render.synth.SynthReport` is one. Cells may be missing or null."""

    @property
    def template(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def agency(self) -> str: ...
    @property
    def published(self) -> date: ...
    @property
    def cells(self) -> Mapping[str, int | Decimal | None]: ...
    @property
    def sections(self) -> Mapping[str, str]: ...


Block = tuple[str, str]  # (kind, text): title, para, heading, table (text = section key), sign


def _blocks(report: ReportLike, t: Template, rng: random.Random) -> list[Block]:
    title = rng.choice(
        (
            f"{report.agency}{report.year}年政府信息公开工作年度报告",
            f"{report.agency}政府信息公开工作{report.year}年度报告",
            f"{report.agency}{report.year}年度政府信息公开工作年度报告",
        )
    )
    preamble = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自{report.year}年1月1日起"
        f"至{report.year}年12月31日止。"
    )
    out: list[Block] = [("title", title), ("para", preamble)]
    for s in t.sections:
        out.append(("heading", s.ordinal + s.text))
        out += [("para", p) for p in report.sections.get(s.key, "").split("\n") if p]
        if s.key in TABLE_SECTIONS:
            out.append(("table", s.key))
    d = report.published
    out += [("sign", report.agency), ("sign", f"{d.year}年{d.month}月{d.day}日")]
    return out


Printer = Callable[[GridCell, str], str]


def _per_line(grid: list[Row], text: Printer) -> list[str]:
    lines: list[str] = []
    for row in grid:
        lines += ["\t" + text(c, "") if c.covered else "\t" + text(c, c.text) for c in row]
        lines.append("")
    return lines


def _expanded(row: Row, text: Printer) -> list[str]:
    out: list[str] = []
    for c in row:
        out += [text(c, c.text)] + [""] * (c.colspan - 1)
    return out


_ASCII = str.maketrans({"（": "(", "）": ")", "，": ","})


def _ascii_label(s: str) -> str:
    # Seed 003 prints the table 三 labels with ASCII punctuation and a space after the ordinal: "(一) 予以公开".
    s = s.translate(_ASCII)
    return f"{s[:3]} {s[3:]}" if s[:1] == "(" and s[2:3] == ")" else s


def _tsv_requests(grid: list[Row], text: Printer) -> list[str]:
    # Seed 003's layout: spanned label cells printed once, then the values, padded to the grid's width.
    note = grid[0][0].text.replace("（", "(").replace("）", ")")
    lines = [f"{note}\t{grid[0][1].text}\t\t", "\t" + "\t".join(c.text for c in grid[1][1:])]
    lines.append("\t\t\t" + "\t".join(c.text for c in grid[2] if not c.covered) + "\t\t")
    for row in grid[3:]:
        labels = ["" if c.covered else _ascii_label(c.text) for c in row if c.key is None]
        values = [text(c, "") for c in row if c.key is not None]
        fields = {1: [*labels, "", *values, ""], 2: [*labels, *values, ""]}.get(len(labels), labels + values)
        lines.append("\t".join(fields))
    return lines


def _tsv(key: str, grid: list[Row], text: Printer) -> list[str]:
    if key == "requests":
        return _tsv_requests(grid, text)
    if key == "active":
        return ["\t".join(_expanded(row, text)) for row in grid]

    def spaced(c: GridCell, s: str) -> str:
        # Seed 003 (a PDF's text) shows the four-character headers of table 四 as "结果 维持".
        return f"{s[:2]} {s[2:]}" if c.header and len(s) == 4 and c.colspan == 1 else text(c, s)

    rows = [_expanded(row, spaced) for row in grid]
    return ["\t".join([*r, ""]) for r in rows[:-1]] + ["\t".join(rows[-1])]


def _render_table(shape: str, key: str, grid: list[Row], text: Printer) -> list[str]:
    if shape in ("cell_per_line", "fullwidth"):
        return _per_line(grid, text)
    if shape == "tsv":
        return _tsv(key, grid, text)
    rows = [_expanded(row, lambda c, s: _md_cell(key, c, text(c, s))) for row in grid]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return lines + ["| " + " | ".join(r) + " |" for r in rows[1:]] + [""]


def _crawler(blocks: list[Block], tables: dict[str, list[str]], report: ReportLike, rng: random.Random) -> str:
    body: list[str] = []
    for kind, text in blocks:
        if kind == "table":
            # Cells run together; now and then a crawler keeps one space between two of them.
            body += [" "] + [c + (" " if rng.random() < 0.04 else "") for c in tables[text]] + [" "]
        elif kind == "title":
            body.append(text + " ")
        elif kind != "sign":
            body.append(text)
    d = report.published
    head = [
        f"标题: {blocks[0][1]}",
        f"发布时间: {d.isoformat()} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        "文号: ",
        "发布机构: ",
        "栏目: 政府信息公开年报",
        "=" * 20 + " 正文 " + "=" * 20,
    ]
    return "\n".join([*head, re.sub(" {2,}", " ", "".join(body)).strip(), ""])


def _noisy(rng: random.Random) -> Printer:
    def text(c: GridCell, s: str) -> str:
        if c.key is not None and s:
            if rng.random() < 0.2:
                s = s.translate(_FULLWIDTH)
            return rng.choice(("{}", "\u3000{}", "\u3000\u3000{}", "\xa0{}", "{}\xa0")).format(s)
        if c.header and len(s) >= 7 and rng.random() < 0.8:
            return f"{s[:3]}\n{s[3:]}"
        if len(s) > 20 and "，" in s and rng.random() < 0.5:
            cut = s.index("，") + 1
            return f"{s[:cut]}\n{s[cut:]}"
        return s

    return text


def render_text(report: ReportLike, shape: str, *, amount_unit: str = "万元", seed: int | str | None = None) -> str:
    """The report printed in one of :data:`SHAPES`.

    ``amount_unit="元"`` prints amounts whose header names no unit (2019 采购总金额) in 元 with the unit
    glued on, as many 2019-format reports do. ``seed`` fixes the shape's incidental variation; by
    default it is derived from the report, so the same report always prints the same way.
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; known: {', '.join(SHAPES)}")
    if amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"amount_unit must be one of {', '.join(AMOUNT_UNITS)}")
    t = get_template(report.template)
    rng = random.Random(seed if seed is not None else f"{shape}|{report.template}|{report.agency}|{report.year}")
    values = cell_texts(t, report.cells, amount_unit=amount_unit)
    blocks = _blocks(report, t, rng)
    table_grids = grids(t)

    def plain(c: GridCell, s: str) -> str:
        return values[c.key] if c.key else s

    if shape == "crawler":
        tables = {k: [plain(c, c.text) for row in g for c in row if not c.covered] for k, g in table_grids.items()}
        return _crawler(blocks, tables, report, rng)
    noisy = _noisy(rng)

    def printer(c: GridCell, s: str) -> str:
        return noisy(c, plain(c, s)) if shape == "fullwidth" else plain(c, s)

    lines: list[str] = []
    for kind, text in blocks:
        if kind == "table":
            lines += _render_table(shape, text, table_grids[text], printer)
        elif shape == "markdown" and kind in ("title", "heading"):
            lines += [("# " if kind == "title" else "## ") + text, ""]
        else:
            lines += [text, ""] if shape in ("markdown", "tsv") else [text]
    return "\n".join(lines) + "\n"


def _md_cell(table: str, c: GridCell, s: str) -> str:
    # Seed 002 breaks table 四's two-word headers and table 三's group labels with <br>.
    if c.group and "）" in s:
        return s.replace("）", "）<br>", 1)
    if table == "appeals" and c.header and len(s) == 4 and c.colspan == 1:
        return f"{s[:2]}<br>{s[2:]}"
    return s
