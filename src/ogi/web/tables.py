"""The four tables of a stored report in the official layout (merged headers as the format prints
them), each value cell carrying its marks: flag, broken identity, findings, reviewed.

The grids are the renderer's (:mod:`ogi.render._grid`), so the page shows the same layout the
synthetic reports are printed in. Cells outside the format (a 小计 column, group subtotal rows,
extra lines of table 二) are listed after the tables with their places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ogi.model import get_template
from ogi.render._grid import TABLE_SECTIONS, grids
from ogi.render.layout import spans
from ogi.web import labels
from ogi.web.queries import CellRow, FindingRow

MARKS = {"inferred": "*", "uncertain": "?", "missing": "∅", "blank": "□", "na": "/", "unreadable": "#"}


@dataclass
class ViewCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    key: str | None = None
    classes: list[str] = field(default_factory=list)
    mark: str = ""
    title: str = ""


@dataclass
class ViewTable:
    section: str
    title: str
    rows: list[list[ViewCell]]


def broken_cells(findings: Iterable[FindingRow]) -> set[str]:
    """The printed side of every broken identity: the cell a reviewer looks at first."""
    return {f.keys[0] for f in findings if f.severity == "error" and f.rule[:1] == "I" and f.keys}


def _value_cell(key: str, cell: CellRow | None, broken: set[str], with_findings: set[str]) -> ViewCell:
    if cell is None:
        return ViewCell("", key=key, classes=["v", "absent"], title="此单元格不在报告中")
    classes = ["v"]
    notes: list[str] = []
    mark = ""
    if cell.flag:
        classes.append(f"f-{cell.flag}")
        mark = MARKS.get(cell.flag, "")
        notes.append(labels.FLAGS.get(cell.flag, (cell.flag, ""))[1])
    if key in broken:
        classes.append("broken")
        mark = "!" + mark
        notes.append("不满足勾稽关系")
    if key in with_findings:
        classes.append("has-finding")
    if cell.reviewed:
        classes.append("reviewed")
        mark = "✓"
        notes.append(f"已审核更正，原读数 {labels.number(cell.parsed_value) or '空'}")
    return ViewCell(labels.number(cell.value), key=key, classes=classes, mark=mark, title="；".join(notes))


def report_tables(template_id: str, cells: dict[str, CellRow], findings: list[FindingRow]) -> list[ViewTable]:
    template = get_template(template_id)
    broken = broken_cells(findings)
    # An identity names every cell it sums; only its printed side is marked (as broken), the
    # others light up when the finding is pointed at. Other findings mark each cell they name.
    with_findings = {k for f in findings if f.rule[:1] != "I" and f.rule != "NOT_ASSESSABLE" for k in f.keys}
    titles = {s.key: s.ordinal + s.text for s in template.sections}
    out = []
    for section, grid in grids(template).items():
        rows = []
        for line in spans(grid, {}):
            row = []
            for s in line:
                if s.key is None:
                    kind = "h" if s.header else "l"
                    row.append(ViewCell(s.text, s.rowspan, s.colspan, header=s.header, classes=[kind]))
                else:
                    v = _value_cell(s.key, cells.get(s.key), broken, with_findings)
                    v.rowspan, v.colspan = s.rowspan, s.colspan
                    row.append(v)
            rows.append(row)
        out.append(ViewTable(section, titles[section], rows))
    return out


def extension_cells(template_id: str, cells: dict[str, CellRow]) -> list[tuple[str, labels.Place]]:
    """Keys the report has beyond the template's grid, with their places."""
    template = get_template(template_id)
    known = set(template.keys)
    return [
        (k, labels.place(template_id, k))
        for k in cells
        if k not in known and k.split(".", 1)[0] in TABLE_SECTIONS
    ]
