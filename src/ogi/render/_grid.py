"""The official grids of tables 二, 三 and 四, merged cells included, built from the template data.

Every text shape is a different way of flattening the same ruled grid, so the grid is built once here
and each shape in :mod:`ogi.render.text` only decides how to print origin cells, covered cells and
column spans (``shared/spec/format.md`` §3.2–3.4). A :class:`Layout` adds the local variants a report
may print (format.md §4.5): the 法人或其他组织小计 column, group subtotal rows, the 2019-style single
（六）其他处理 row of mixed 2021 reports, and extra lines under table 二.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ogi.model.template import Kind, Template

Value = int | Decimal | None
TABLE_SECTIONS: tuple[str, ...] = ("active", "requests", "appeals")
LEGAL_SUBTOTAL = "legal_subtotal"
EXTRA_PREFIX = "active.extra."
_SUBTOTAL = re.compile(r"^requests\.(?P<group>[a-z_]+)\.subtotal\.(?P<col>[a-z_]+)$")


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str = ""
    """A label; for a value cell, text printed before the value (an extra line's label)."""
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


@dataclass(frozen=True, slots=True)
class Layout:
    """The local variants a report prints beside the national format."""

    legal_subtotal: bool = False
    subtotal_groups: frozenset[str] = frozenset()
    """Table 三 groups printed with their own subtotal row above their numbered rows."""
    single_other: bool = False
    """A 2021 report that prints the 2019 format's one （六）其他处理 row (its values under
    ``requests.other.subtotal.*``) instead of the three numbered rows."""
    extras: tuple[tuple[str, str], ...] = ()
    """(key, label) of each extra line printed under table 二, e.g. 政府信息公开发布总数量."""

    @classmethod
    def of(cls, t: Template, cells: Mapping[str, Value], labels: Mapping[str, str] | None = None) -> Layout:
        """The layout a report's cells call for: an extension key with a value, or present at all
        in ``cells``, prints its column, row or line. ``labels`` names the extra lines."""
        labels = labels or {}
        groups = {m["group"] for k in cells if (m := _SUBTOTAL.match(k))}
        other_parts = [k for k in t.keys if k.startswith("requests.other.")]
        single = t.id != "2019" and "other" in groups and all(cells.get(k) is None for k in other_parts)
        extras = tuple((k, labels.get(k) or extra_label(t, k)) for k in cells if k.startswith(EXTRA_PREFIX))
        return cls(
            legal_subtotal=any(k.endswith("." + LEGAL_SUBTOTAL) for k in cells),
            subtotal_groups=frozenset(groups - {"other"} if single else groups),
            single_other=single,
            extras=extras,
        )


def extra_label(t: Template, key: str) -> str:
    """The label of an extra line under table 二 when the report does not say: the template's
    own wording for a known slug, else the slug."""
    slug = key.removeprefix(EXTRA_PREFIX)
    return next((e.get("label", e["pattern"]) for e in t.extras if e["slug"] == slug), slug)


def _label(text: str, colspan: int = 1, *, header: bool = False, group: bool = False) -> GridCell:
    return GridCell(text=text, colspan=colspan, header=header, group=group)


def active_grid(t: Template, layout: Layout = Layout()) -> list[Row]:
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
    # Extra lines are printed as reports print them: one ruled line, "label：value".
    out += [[GridCell(text=f"{label}：", key=key, colspan=width)] for key, label in layout.extras]
    return out


def requests_columns(t: Template, layout: Layout = Layout()) -> list[tuple[str, str]]:
    """(column key, header) of table 三's value columns, the 小计 column included when printed."""
    cols = [(c.key, c.label) for c in t.requests_columns]
    if layout.legal_subtotal:
        ext = next(c for c in t.extension_columns if c.key == LEGAL_SUBTOTAL)
        cols.insert(len(cols) - 1, (ext.key, ext.label))
    return cols


def _request_rows(t: Template, layout: Layout) -> list[tuple[str, str, str | None]]:
    """(row key, official label, group) of every printed row of table 三, subtotal rows included."""
    out: list[tuple[str, str, str | None]] = []
    groups = {g["key"]: g["ordinal"] + g["text"] for g in t.requests_groups}
    for r in t.rows_of("requests"):
        if r.group == "other" and layout.single_other:
            if not out or out[-1][0] != "other.subtotal":
                out.append(("other.subtotal", groups["other"], None))
            continue
        if r.group in layout.subtotal_groups and not any(row == f"{r.group}.subtotal" for row, _, _ in out):
            out.append((f"{r.group}.subtotal", groups[r.group], None))
        out.append((r.key, r.official_label, r.group))
    return out


def requests_grid(t: Template, layout: Layout = Layout()) -> list[Row]:
    spec = t.raw["tables"]["requests"]
    cols = requests_columns(t, layout)
    orgs = cols[1:-1]
    note_below = GridCell(covered=True, colspan=3)
    out: list[Row] = [
        [_label(spec["note"], 3), _label(spec["column_group"], len(cols), header=True)],
        [
            note_below,
            _label(cols[0][1], header=True),
            _label(spec["org_group"], len(orgs), header=True),
            _label(cols[-1][1], header=True),
        ],
        [note_below, COVERED, *(_label(label, header=True) for _, label in orgs), COVERED],
    ]
    groups = {g["key"]: g["ordinal"] + g["text"] for g in t.requests_groups}
    seen_outcome = False
    seen_groups: set[str] = set()
    for key, label, group in _request_rows(t, layout):
        values = [GridCell(key=f"requests.{key}.{c}") for c, _ in cols]
        if label[1:2] == "、":  # 一、 二、 四、: rows outside 三、本年度办理结果
            out.append([_label(label, 3), *values])
            continue
        lead = COVERED if seen_outcome else _label(spec["outcome_label"])
        seen_outcome = True
        if group is None or group in layout.subtotal_groups:
            # A group's subtotal row prints the group label itself; its numbered rows then
            # span both label columns, as （一）（二） do.
            out.append([lead, _label(label, 2, group=key.endswith(".subtotal")), *values])
            continue
        cell = COVERED if group in seen_groups else _label(groups[group], group=True)
        seen_groups.add(group)
        out.append([lead, cell, _label(label), *values])
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


def grids(t: Template, layout: Layout = Layout()) -> dict[str, list[Row]]:
    """The grid printed in each table section, by section key."""
    return {"active": active_grid(t, layout), "requests": requests_grid(t, layout), "appeals": appeals_grid(t)}


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(kind: Kind, value: Value, *, unit: str = "万元", trim: bool = False) -> str:
    """A cell as a report prints it: signed changes, amounts as plain decimals, ``元`` glued when asked.
    ``trim`` prints an amount with no more decimals than its value has (``7730.2800`` as ``7730.28``)."""
    if value is None:
        return ""
    if kind == "change" and value != 0:
        return f"{value:+d}"
    if kind == "amount":
        amount = Decimal(value)
        if unit == "元":
            return _plain(amount * 10000) + "元"
        return _plain(amount) if trim else format(amount, "f")
    return str(value)


def cell_texts(
    t: Template, cells: Mapping[str, Value], *, amount_unit: str = "万元", trim: bool = False
) -> dict[str, str]:
    """Every key's printed text; ``amount_unit`` applies only where the header names no unit itself.
    Keys outside the template's rows (local variants) are counts."""
    out: dict[str, str] = {}
    for row in t.rows:
        for col, key in zip(row.columns, row.cell_keys, strict=True):
            unit = "万元" if "万元" in col.label else amount_unit
            out[key] = format_value(col.kind, cells.get(key), unit=unit, trim=trim)
    for key, value in cells.items():
        if key not in out:
            out[key] = format_value(t.kind_of(key), value)
    return out
