"""A new draft from the unit's report of the year before: what carries over is filled in, the rest
of last year's report is kept beside the form.

Carried over (identity 6 of ``cell-keys.md``, the rules :mod:`ogi.store.crossyear` checks):

- 二、上年结转 ← last year's 四、结转下年度继续办理, every applicant column (and the 小计 column);
- 2019 template both years: 上一年项目数量 ← last year's 上一年项目数量 + 本年增/减;
- 2021 template both years: 现行有效件数 ← last year's 现行有效件数, the base the author then moves by
  本年制发 and 本年废止 (the live check warns while it does not agree).

Last year's local layout (a 小计 column, subtotal rows, extra lines under table 二) is kept, empty;
a 2021 report that printed the old single （六）其他处理 row gets the format's three rows back.
Narrative is never copied: copied text is what evaluators mark down; it is offered beside the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogi.fill.draft import Draft, is_cell_of
from ogi.model import Report, all_templates, get_template
from ogi.model.report import Number, json_number

APPLICANT_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "legal_subtotal", "total")
PREV_COUNT_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")
IN_FORCE_ROWS = ("rules", "normative")


@dataclass(slots=True)
class Prefill:
    draft: Draft
    carried: dict[str, list[str]] = field(default_factory=dict)
    """Each pre-filled cell → the cells of last year's report its value came from."""
    last_values: dict[str, Number | None] = field(default_factory=dict)
    """Last year's value of every cell this year's form also has, to show beside it."""
    last_sections: dict[str, str] = field(default_factory=dict)
    last_year: int | None = None
    last_source: str | None = None
    """Where last year's report came from (its file)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "draft": self.draft.to_json(),
            "carried": self.carried,
            "last_values": {k: json_number(v) for k, v in self.last_values.items()},
            "last_sections": self.last_sections,
            "last_year": self.last_year,
            "last_source": self.last_source,
        }


def template_for(year: int) -> str:
    """The template a report on ``year`` is written in: the newest that covers it."""
    covering = [t.id for t in all_templates() if t.covers_year(year)]
    return covering[-1] if covering else all_templates()[-1].id


def _carry(last: Draft, template: str) -> dict[str, tuple[Number, list[str]]]:
    out: dict[str, tuple[Number, list[str]]] = {}
    cells = last.cells
    for col in APPLICANT_COLUMNS:
        source = f"requests.carried_forward.{col}"
        if (value := cells.get(source)) is not None:
            out[f"requests.carried_over.{col}"] = (value, [source])
    if template == "2019" and last.template == "2019":
        for row in PREV_COUNT_ROWS:
            base, change = cells.get(f"active.{row}.prev_count"), cells.get(f"active.{row}.change")
            if base is not None and change is not None:
                out[f"active.{row}.prev_count"] = (base + change, [f"active.{row}.prev_count", f"active.{row}.change"])
    if template == "2021" and last.template == "2021":
        for row in IN_FORCE_ROWS:
            if (base := cells.get(f"active.{row}.in_force")) is not None:
                out[f"active.{row}.in_force"] = (base, [f"active.{row}.in_force"])
    return out


def prefill(last: Report | Draft | None, *, agency: str, year: int, template: str | None = None) -> Prefill:
    """A draft for ``agency``'s report on ``year``, from its report on ``year - 1`` when given."""
    template = template or template_for(year)
    t = get_template(template)
    if last is None:
        return Prefill(Draft(template=template, agency=agency, year=year))  # type: ignore[arg-type]
    prev = last if isinstance(last, Draft) else Draft.from_report(last)
    layout = {k: None for k in prev.cells if k not in get_template(prev.template).keyset and is_cell_of(t, k)}
    if not any(v is not None for k, v in prev.cells.items() if k.startswith("requests.other.") and "subtotal" not in k):
        # Last year printed the old single （六）其他处理 row in a 2021 report: this year's form has the three.
        layout = {k: v for k, v in layout.items() if not k.startswith("requests.other.subtotal.")}
    carried = _carry(prev, template)
    cells: dict[str, Number | None] = {**layout, **{k: v for k, (v, _) in carried.items()}}
    draft = Draft(
        template=template,  # type: ignore[arg-type]
        agency=agency,
        year=year,
        cells=cells,
        labels={k: v for k, v in prev.labels.items() if k in cells},
    )
    keys = set(t.keys) | set(layout)
    return Prefill(
        draft=draft,
        carried={k: sources for k, (_, sources) in carried.items()},
        last_values={k: v for k, v in prev.cells.items() if k in keys},
        last_sections={k: v for k, v in prev.sections.items() if v.strip()},
        last_year=prev.year,
        last_source=last.file if isinstance(last, Report) else None,
    )


def prefill_from_store(db: str | Path, *, agency: str, year: int, template: str | None = None) -> Prefill:
    """:func:`prefill` from the store: last year's report is the publisher's unit report of
    ``year - 1`` (``unit_reports``), matched by the normalised agency name."""
    from ogi.store.db import Store
    from ogi.store.load import load_report, unit_report_id

    with Store.open(db, read_only=True) as store:
        last_id = unit_report_id(store, agency, year - 1)
        last = load_report(store, last_id) if last_id is not None else None
    return prefill(last, agency=agency, year=year, template=template)


__all__ = ["Prefill", "prefill", "prefill_from_store", "template_for"]
