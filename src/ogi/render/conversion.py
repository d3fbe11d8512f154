"""Print a report the way PDF→text converters damage it, one kind of damage per shape.

The shapes are those of real conversions (``shared/corpus/019_*.md``, ``shared/seeds/002_*``), each
applied on its own to a Markdown rendering of a report, so that every kind of damage can be measured
apart; ``all`` applies them together, as the converter of 019 did:

- ``unlabelled``: table 三 rows whose label wrapped lose it — the label comes out as loose lines
  (before, inside or after the table), or a fragment of it stays on the row, or it is gone;
- ``fragments``: tables cut at row boundaries (and now and then inside a row, its last values on
  the next page), each piece under a repeated ``## 表三：…`` heading, a page footer and a garbled
  header row between pieces; group rows print two label cells;
- ``loose_cells``: a table 二 cell moved out as a line after the sub-table heading, with a note
  (``22（其中修订 16 件）``), its row printing one cell short; the narrative sometimes states the count;
- ``generic_headers``: table 三's applicant header as ``数据1 … 数据6 | 总计``, or lost, now and then
  with a local 小计 column the header no longer names;
- ``flat_appeals``: table 四 as one row of 15 numbers under garbled header lines;
- ``old_labels``: a 2021 table 二 keeping the 2019 label 规范性文件;
- ``title_lines``: the title broken over two lines, a converter's ``正文`` first, a crawler's stamp.

Deterministic for a given report and seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ogi.model.template import Template, get_template
from ogi.render._grid import cell_texts
from ogi.render.text import ReportLike

SHAPES: tuple[str, ...] = (
    "unlabelled",
    "fragments",
    "loose_cells",
    "generic_headers",
    "flat_appeals",
    "old_labels",
    "title_lines",
    "all",
)
HEAVY = 3
NOTES = {
    "made": "其中修订{n}件",
    "new_made": "其中修订{n}件",
    "repealed": "含自然失效{n}件",
}


@dataclass
class Row:
    labels: list[str]
    values: list[str]
    key: str = ""

    def line(self) -> str:
        return "| " + " | ".join(self.labels + self.values) + " |"


@dataclass
class Doc:
    """The report as lines, tables as rows until printed, so that damage can move things around."""

    agency: str = ""
    year: int = 0
    head: list[str] = field(default_factory=list)
    active: list[tuple[str, list[Row]]] = field(default_factory=list)
    """(sub-table heading, header row + data rows)."""
    active_loose: list[str] = field(default_factory=list)
    requests_header: list[str] = field(default_factory=list)
    requests: list[Row | str] = field(default_factory=list)
    appeals: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    tail: list[str] = field(default_factory=list)
    page: int = 1


def _footer(doc: Doc) -> str:
    doc.page += 1
    return f"— {doc.page} —"


def _build(report: ReportLike, t: Template, rng: random.Random) -> Doc:
    values = cell_texts(t, report.cells)
    doc = Doc(agency=report.agency, year=report.year)
    doc.head = [f"{report.agency}{report.year}年政府信息公开工作年度报告", ""]
    for s in t.sections:
        doc.sections[s.key] = [s.ordinal + s.text, *(p for p in report.sections.get(s.key, "").split("\n") if p)]
    heading = None
    header = t.raw["tables"]["active"]["header"]
    for r in t.rows_of("active"):
        if r.heading != heading:
            heading = r.heading
            doc.active.append((heading or "", [Row([header], [c.label for c in r.columns])]))
        doc.active[-1][1].append(Row([r.label], [values[k] for k in r.cell_keys], r.key))
    spec = t.raw["tables"]["requests"]
    doc.requests_header = [spec["note"], *(c.label for c in t.requests_columns)]
    groups = {g["key"]: g["ordinal"] + g["text"] for g in t.requests_groups}
    seen: set[str] = set()
    for r in t.rows_of("requests"):
        labels = [r.official_label]
        if r.group and r.group not in seen:
            seen.add(r.group)
            labels.insert(0, groups[r.group])
        doc.requests.append(Row(labels, [values[k] for k in r.cell_keys], r.key))
    top = "| 行政复议 | | | | | 行政诉讼 |"
    names = " | ".join(c.label for c in t.appeals_columns)
    doc.appeals = [
        top,
        "|---|---|---|---|---|---|",
        f"| {names} | 未经复议直接起诉 | 复议后起诉 |",
        f"| {names} | {names} |",
        "| " + " | ".join(values[k] for g in t.rows_of("appeals") for k in g.cell_keys) + " |",
    ]
    d = report.published
    doc.tail = [report.agency, f"{d.year}年{d.month}月{d.day}日"]
    return doc


def _print(doc: Doc, t: Template) -> str:
    out = list(doc.head)
    for s in t.sections:
        out += doc.sections[s.key]
        if s.key == "active":
            for heading, rows in doc.active:
                out.append(heading)
                if heading == doc.active[0][0]:
                    out += doc.active_loose
                out += [rows[0].line(), "|" + "---|" * (len(rows[0].labels) + len(rows[0].values))]
                out += [r.line() for r in rows[1:]]
                out.append("")
        elif s.key == "requests":
            if doc.requests_header:
                out += ["| " + " | ".join(doc.requests_header) + " |", "|" + "---|" * len(doc.requests_header)]
            out += [x.line() if isinstance(x, Row) else x for x in doc.requests]
            out.append("")
        elif s.key == "appeals":
            out += [*doc.appeals, ""]
    return "\n".join([*out, *doc.tail, ""])


def _unlabelled(doc: Doc, t: Template, rng: random.Random) -> None:
    rows = [i for i, x in enumerate(doc.requests) if isinstance(x, Row)]
    inserts: list[tuple[int, list[str]]] = []
    for i in rng.sample(rows, rng.randint(1, HEAVY)):
        row = doc.requests[i]
        assert isinstance(row, Row)
        label = row.labels.pop()
        cut = rng.randint(2, max(2, len(label) - 2))
        loose = [label[:cut], label[cut:]] if len(label) > 6 else [label]
        mode = rng.choice(("loose_before", "loose_after", "fragment", "gone", "loose_far"))
        if mode == "fragment" and len(label) > 8:
            row.labels.append(label[cut:])
            loose = [label[:cut]]
        elif mode == "gone":
            loose = []
        at = {"loose_after": i + 1, "loose_far": max(0, i - rng.randint(1, 4))}.get(mode, i)
        inserts.append((at, loose))
    for at, loose in sorted(inserts, key=lambda x: x[0], reverse=True):
        doc.requests[at:at] = loose


def _fragments(doc: Doc, t: Template, rng: random.Random) -> None:
    caption = "## 表三：收到和处理政府信息公开申请情况"
    width = len(doc.requests_header)
    garbled = "| " + " | ".join(rng.sample(["等于第三项加第四项之和）", "自然人", "商业", "科研", "总计"], 4)) + " |"
    out: list[Row | str] = []
    for x in doc.requests:
        if isinstance(x, Row) and out and rng.random() < 0.35:
            cut = out[-1]
            rest: list[Row | str] = []
            if isinstance(cut, Row) and cut.labels and rng.random() < 0.3:
                # The page break cuts the row itself: its last values go to the next page.
                k = rng.randint(1, len(cut.values) - 1)
                cut.values, moved = cut.values[:-k], cut.values[-k:]
                rest = [Row([], moved)]
            out += ["", _footer(doc), caption, garbled, "|" + "---|" * width, *rest]
        out.append(x)
    doc.requests = out
    if rng.random() < 0.5:
        doc.active_loose.append("## 表二：主动公开政府信息情况")


def _loose_cells(doc: Doc, t: Template, rng: random.Random) -> None:
    first = doc.active[0][1]
    columns = t.rows_of("active")[0].columns
    said = "、".join(f"{r.labels[0]}{r.values[0]}件" for r in first[1:] if r.values)
    for row in first[1:]:
        if rng.random() < 0.3 or not row.values:
            continue
        c = rng.randrange(len(row.values))
        text = row.values.pop(c)
        note = NOTES.get(columns[c].key)
        if note and text.isdigit() and int(text) > 0 and rng.random() < 0.8:
            doc.active_loose += [text, f"（{note.format(n=rng.randint(0, int(text)))}）"]
        else:
            doc.active_loose.append(text)
    if rng.random() < 0.5:
        # The narrative states what was made this year: 全年主动公开规章2件、行政规范性文件5件.
        doc.sections["active"].insert(1, f"全年主动公开{said}。")


def _generic_headers(doc: Doc, t: Template, rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.35:
        n = len(doc.requests_header) - 2
        doc.requests_header = ["", *(f"数据{i + 1}" for i in range(n)), "总计"]
    elif roll < 0.7:
        doc.requests_header = []
    else:
        # A local template's 小计 of the five organisation columns, its header lost with the rest.
        doc.requests_header = []
        for row in doc.requests:
            if isinstance(row, Row) and len(row.values) == len(t.requests_columns):
                subtotal = sum(int(v) for v in row.values[1:-1])
                row.values = [*row.values[:-1], str(subtotal), row.values[-1]]


def _flat_appeals(doc: Doc, t: Template, rng: random.Random) -> None:
    doc.appeals = [
        "行政复议行政诉讼",
        "未经复议直接起诉复议后起诉",
        "结果结果其他尚未",
        "总计结果结果其他尚未结果结果其他尚未",
        "维持纠正结果审结维持纠正结果审结",
        "| 维持 | 纠正 | 结果 | 审结 | 总计 | 总计 |",
        "|---|---|---|---|---|---|",
        doc.appeals[-1],
    ]


def _old_labels(doc: Doc, t: Template, rng: random.Random) -> None:
    for _, rows in doc.active:
        for r in rows:
            if r.labels[0] == "行政规范性文件":
                r.labels[0] = "规范性文件"


def _title_lines(doc: Doc, t: Template, rng: random.Random) -> None:
    agency, year = doc.agency, doc.year
    if rng.random() < 0.5:
        lines = [f"{year} 年{agency}政府信息公开", "工作年度报告"]
    else:
        lines = [f"{agency}{year}", "年政府信息公开工作年度报告"]
    stamp = rng.choice(("采集时间：2026-05-04 10:20:00", "fetched 2026-05-04T10:20:00Z", "保存时间：2026年5月4日"))
    doc.head = [*(["正文"] if rng.random() < 0.5 else []), *lines, ""]
    if rng.random() < 0.5:
        doc.head.insert(0, stamp)
    else:
        doc.tail.append(stamp)


# In the order a converter's damage piles up: columns are the table's own, page breaks come later.
DAMAGE: dict[str, Callable[[Doc, Template, random.Random], None]] = {
    "generic_headers": _generic_headers,
    "unlabelled": _unlabelled,
    "fragments": _fragments,
    "loose_cells": _loose_cells,
    "flat_appeals": _flat_appeals,
    "old_labels": _old_labels,
    "title_lines": _title_lines,
}


def render_conversion(report: ReportLike, shape: str, *, seed: int | str | None = None) -> str:
    """The report as a PDF→Markdown converter leaves it, with the damage of ``shape``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; known: {', '.join(SHAPES)}")
    t = get_template(report.template)
    rng = random.Random(seed if seed is not None else f"{shape}|{report.template}|{report.agency}|{report.year}")
    doc = _build(report, t, rng)
    for name, damage in DAMAGE.items():
        if shape in (name, "all") and not (name == "old_labels" and t.id != "2021"):
            damage(doc, t, rng)
    return _print(doc, t)


__all__ = ["SHAPES", "render_conversion"]
