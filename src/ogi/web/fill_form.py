"""The 填报 form's tables: the official layout of the draft's template (the renderer's grids, with
the draft's local variants: a 小计 column, subtotal rows, extra lines under table 二), an input in
every value cell, and beside each the marks the form shows — last year's value, a carried-over
value, the expected value of a cell that breaks an identity, a reading an uploaded file did not
print plainly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ogi.fill import Draft, LiveCheck
from ogi.model import get_template
from ogi.model.report import Number
from ogi.render._grid import Layout, grids
from ogi.render.layout import spans
from ogi.web import labels
from ogi.web.drafting import LastYear

INPUT_MODES = {"amount": "decimal", "change": "text", "count": "numeric"}
IMPORT_FLAGS = {"inferred": "上传文件未印此数，按勾稽关系推算", "uncertain": "上传文件此处数字连写或错位，读法不唯一",
                "unreadable": "上传文件此处不是数字"}  # fmt: skip


@dataclass
class FormCell:
    text: str = ""
    """A label, or the text printed before a value (an extra line's label)."""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    key: str | None = None
    value: str = ""
    kind: str = "count"
    place: str = ""
    last: str | None = None
    """Last year's value, as printed; None when last year's report has no such cell."""
    carried: str = ""
    """Where a carried-over value came from, while the cell still holds it."""
    expected: str = ""
    """The value this cell needs for the identities it breaks to hold."""
    note: str = ""
    error: str = ""
    """Why the typed text is not a value of this cell."""
    suggestion: str = ""
    classes: list[str] = field(default_factory=list)

    @property
    def input_mode(self) -> str:
        return INPUT_MODES.get(self.kind, "text")


@dataclass
class FormTable:
    section: str
    title: str
    rows: list[list[FormCell]]


def cell_texts(draft: Draft) -> dict[str, str]:
    return {k: labels.number(v) for k, v in draft.values().items()}


def _carried_note(last: LastYear, key: str) -> str:
    sources = last.start.carried.get(key, [])
    template = last.report.template
    names = "」与「".join(str(labels.place(template, s)) for s in sources)
    return f"由{last.start.last_year}年报告「{names}」结转" if names else ""


def _flag_note(origin: dict[str, Any], key: str, value: Number | None) -> str:
    flagged = origin.get("flagged", {}).get(key)
    if not flagged or labels.number(flagged[1]) != labels.number(value):
        return ""
    return IMPORT_FLAGS.get(flagged[0], "")


def form_tables(
    draft: Draft,
    texts: dict[str, str],
    live: LiveCheck,
    last: LastYear | None,
    origin: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> list[FormTable]:
    """The three tables of the draft's template, every value cell an input with its marks.
    ``texts`` are the inputs' contents (the draft's values, or what was typed when it was refused
    with ``errors``)."""
    t = get_template(draft.template)
    values = draft.values()
    marks = live.marks()
    messages: dict[str, list[str]] = {}
    for b in live.broken:
        messages.setdefault(b.mark, []).append(b.message)
    errors = errors or {}

    def value_cell(cell: FormCell, key: str) -> None:
        cell.key, cell.kind = key, t.kind_of(key)
        cell.value = texts.get(key, labels.number(values.get(key)))
        cell.place = str(labels.place(draft.template, key))
        cell.classes = ["v", f"k-{cell.kind}"] + (["extra"] if cell.text else [])
        if last is not None and key in last.start.last_values:
            cell.last = labels.number(last.start.last_values[key])
        if last is not None and key in last.start.carried and values.get(key) == last.start.draft.cells.get(key):
            cell.carried = _carried_note(last, key)
            cell.classes.append("carried")
        notes = []
        if key in marks:
            cell.expected = labels.number(marks[key])
            notes += messages[key]
            cell.classes.append("broken")
        if key in errors:
            cell.error = errors[key]
            cell.classes.append("bad-input")
        if key in live.suggestions:
            cell.suggestion = labels.number(live.suggestions[key])
        if flag_note := _flag_note(origin, key, values.get(key)):
            notes.append(flag_note)
            cell.classes.append("imported-flag")
        cell.note = "；".join(notes)

    titles = {s.key: s.ordinal + s.text for s in t.sections}
    out = []
    for section, grid in grids(t, Layout.of(t, draft.cells, draft.labels)).items():
        rows = []
        for line in spans(grid, {}):
            row = []
            for s in line:
                cell = FormCell(s.text, s.rowspan, s.colspan, header=s.header, classes=["h" if s.header else "l"])
                if s.key is not None:
                    value_cell(cell, s.key)
                row.append(cell)
            rows.append(row)
        out.append(FormTable(section, titles[section], rows))
    return out
