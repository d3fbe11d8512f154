"""The official grids of tables 二, 三 and 四, merged cells included, built from the template data.

Every text shape is a different way of flattening the same ruled grid, so the grid is built once here
and each shape in :mod:`ogi.render.text` only decides how to print origin cells, covered cells and
column spans (``shared/spec/format.md`` §3.2–3.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ogi.model.template import Kind, Template

Value = int | Decimal | None
TABLE_SECTIONS: tuple[str, ...] = ("active", "requests", "appeals")


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str = ""
    key: str | None = None
    colspan: int = 1
    covered: bool = False
    """The lower part of a vertically merged cell: word processors still emit it, empty, in every row."""
    header: bool = False
    """A column header: the shapes that imitate PDF/Word noise break or space these."""
    group: bool = False
    """A table 三 group label such as （三）不予公开."""


Row = list[GridCell]
COVERED = GridCell(covered=True)


def _label(text: str, colspan: int = 1, *, header: bool = False, group: bool = False) -> GridCell:
    return GridCell(text=text, colspan=colspan, header=header, group=group)


def active_grid(t: Template) -> list[Row]:
    rows = t.rows_of("active")
    width = 1 + max(len(r.columns) for r in rows)
    header = t.raw["tables"]["active"]["header"]
    out: list[Row] = []
    heading: str | None = None
    for r in rows:
        # A short sub-table stretches its last value column so every row spans the same ruled width.
        spans = [1] * (len(r.columns) - 1) + [width - len(r.columns)]
        if r.heading != heading:
            heading = r.heading
            out.append([_label(heading or "", width)])
            heads = [_label(c.label, s, header=True) for c, s in zip(r.columns, spans, strict=True)]
            out.append([_label(header), *heads])
        out.append([_label(r.label)] + [GridCell(key=k, colspan=s) for k, s in zip(r.cell_keys, spans, strict=True)])
    return out


def requests_grid(t: Template) -> list[Row]:
    spec = t.raw["tables"]["requests"]
    cols = t.requests_columns
    orgs = cols[1:-1]
    note_below = GridCell(covered=True, colspan=3)
    out: list[Row] = [
        [_label(spec["note"], 3), _label(spec["column_group"], len(cols), header=True)],
        [
            note_below,
            _label(cols[0].label, header=True),
            _label(spec["org_group"], len(orgs), header=True),
            _label(cols[-1].label, header=True),
        ],
        [note_below, COVERED, *(_label(c.label, header=True) for c in orgs), COVERED],
    ]
    groups = {g["key"]: g["ordinal"] + g["text"] for g in t.requests_groups}
    seen_outcome = False
    seen_groups: set[str] = set()
    for r in t.rows_of("requests"):
        values = [GridCell(key=k) for k in r.cell_keys]
        if r.ordinal.endswith("、"):
            out.append([_label(r.official_label, 3), *values])
            continue
        lead = COVERED if seen_outcome else _label(spec["outcome_label"])
        seen_outcome = True
        if r.group is None:
            out.append([lead, _label(r.official_label, 2), *values])
            continue
        group = COVERED if r.group in seen_groups else _label(groups[r.group], group=True)
        seen_groups.add(r.group)
        out.append([lead, group, _label(r.official_label), *values])
    return out


def appeals_grid(t: Template) -> list[Row]:
    groups = t.rows_of("appeals")
    top: Row = []
    middle: Row = []
    bottom: Row = []
    for g in groups:
        n = len(g.columns)
        labels = [_label(c.label, header=True) for c in g.columns]
        if g.heading is None:
            # A group with no parent has its column headers two rows tall, beside the parent's sub-groups.
            top.append(_label(g.label, n, header=True))
            middle.extend(labels)
            bottom.extend([COVERED] * n)
            continue
        if top and top[-1].text == g.heading:
            top[-1] = _label(g.heading, top[-1].colspan + n, header=True)
        else:
            top.append(_label(g.heading, n, header=True))
        middle.append(_label(g.label, n, header=True))
        bottom.extend(labels)
    values = [GridCell(key=k) for g in groups for k in g.cell_keys]
    return [top, middle, bottom, values]


def grids(t: Template) -> dict[str, list[Row]]:
    """The grid printed in each table section, by section key."""
    return {"active": active_grid(t), "requests": requests_grid(t), "appeals": appeals_grid(t)}


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(kind: Kind, value: Value, *, unit: str = "万元") -> str:
    """A cell as a report prints it: signed changes, amounts as plain decimals, ``元`` glued when asked."""
    if value is None:
        return ""
    if kind == "change" and value != 0:
        return f"{value:+d}"
    if kind == "amount":
        amount = Decimal(value)
        if unit == "元":
            return _plain(amount * 10000) + "元"
        return format(amount, "f")
    return str(value)


def cell_texts(t: Template, cells: Mapping[str, Value], *, amount_unit: str = "万元") -> dict[str, str]:
    """Every key's printed text; ``amount_unit`` applies only where the header names no unit itself."""
    out: dict[str, str] = {}
    for row in t.rows:
        for col, key in zip(row.columns, row.cell_keys, strict=True):
            unit = "万元" if "万元" in col.label else amount_unit
            out[key] = format_value(col.kind, cells.get(key), unit=unit)
    return out
