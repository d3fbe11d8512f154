"""A parsed report flattened into the store's rows: plain lists, cheap to pickle.

Flattening is done where the report was parsed, so in a batch the worker processes do it and the
single writing process only appends lists. Numbers travel as text and are cast to ``DECIMAL`` by
DuckDB, so no value passes through a float.

Placing the publisher (agency id, tier, division) is left to the writing process (:func:`place`):
the division table costs every process that loads it 0.2 s and tens of MB, so one process loads
it, while the workers start, instead of each worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ogi.errors import OgiError
from ogi.extract.agency import classify_level, normalise_agency
from ogi.extract.region import resolve_region
from ogi.model import Report

# Region resolution looks at the body text only to choose between same-named places; the start
# of the report (title block, 总体情况) names the place if anything does.
_REGION_CONTEXT_CHARS = 5000


@dataclass(slots=True)
class ReportRows:
    """One report's rows for ``reports`` (``report``), ``cells``, ``findings`` and ``sections``;
    the column lists of each child table run in parallel."""

    report: dict[str, Any]
    cell_keys: list[str] = field(default_factory=list)
    cell_values: list[str | None] = field(default_factory=list)
    cell_semantics: list[str] = field(default_factory=list)
    cell_flags: list[str | None] = field(default_factory=list)
    cell_alternatives: list[list[str | None]] = field(default_factory=list)
    cell_provenance: list[str | None] = field(default_factory=list)
    findings: list[tuple[str, str, list[str], str, str | None, str | None]] = field(default_factory=list)
    sections: list[tuple[str, str, str, str]] = field(default_factory=list)
    context: str | None = None
    """The text :func:`place` reads to tell same-named places apart; None once placed."""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _level(agency: str | None) -> str | None:
    if not agency:
        return None
    try:
        return classify_level(agency)
    except ValueError:  # a name that normalises to nothing
        return None


def place(rows: ReportRows) -> ReportRows:
    """Fill in the publisher's agency id, tier and division (once; later calls do nothing)."""
    if rows.context is None:
        return rows
    r = rows.report
    region = resolve_region(r["agency"] or "", rows.context, r["title"] or "")
    r["agency_id"] = (normalise_agency(r["agency"]) if r["agency"] else None) or None
    r["level"] = _level(r["agency"])
    r["region_code"], r["region_name"], r["region_level"] = region.code, region.name, region.level
    r["region_ambiguous"] = region.ambiguous
    r["region_candidates"] = [f"{code} {name}" for code, name in region.candidates]
    r["region_reason"] = region.reason
    rows.context = None
    return rows


def warm_up() -> None:
    """Load the division table now (while workers start) rather than at the first :func:`place`."""
    resolve_region("")


def report_rows(report: Report, *, placed: bool = True) -> ReportRows:
    """The rows of ``report``; with ``placed`` false, :func:`place` is left to the caller."""
    title = report.meta.get("title")
    rows = ReportRows(
        report={
            "format": report.format,
            "agency": report.agency,
            "year": report.year,
            "template": report.template,
            "published": report.published,
            "title": title if isinstance(title, str) else None,
            "errors": sum(f.severity == "error" for f in report.findings),
            "warnings": sum(f.severity == "warning" for f in report.findings),
            "null_cells": sum(c.value is None for c in report.cells.values()),
            "meta": json.dumps(report.meta, ensure_ascii=False, default=str),
        },
        context="\n".join(s.text for s in report.sections.values())[:_REGION_CONTEXT_CHARS],
    )
    # summary() owns the one human wording of provenance; reuse it rather than re-derive it.
    provenance = report.summary()["provenance"]
    for key, cell in report.cells.items():
        rows.cell_keys.append(key)
        rows.cell_values.append(_text(cell.value))
        rows.cell_semantics.append(cell.semantic)
        rows.cell_flags.append(cell.flag)
        rows.cell_alternatives.append([_text(a) for a in cell.alternatives])
        rows.cell_provenance.append(provenance.get(key))
    rows.findings = [(f.rule, f.severity, list(f.keys), f.message, f.expected, f.printed) for f in report.findings]
    rows.sections = [(s.key, s.heading, s.text, s.where) for s in report.sections.values()]
    return place(rows) if placed else rows


def parse_file(data: bytes, name: str) -> ReportRows | str:
    """Parse one file into rows, or say why not. Never raises: it runs in batch workers, where a bad
    file (or a reader bug) must cost that file only. Lives here, not in ``ogi.batch``, so workers
    never import DuckDB."""
    try:
        from ogi.api import parse_bytes

        return report_rows(parse_bytes(data, name), placed=False)
    except OgiError as e:
        return getattr(e, "reason", None) or str(e)
    except Exception as e:
        return f"internal error ({type(e).__name__}: {e}); please report this file"
