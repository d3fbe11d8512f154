"""A parsed report flattened into the store's rows: plain lists, cheap to pickle.

Flattening is done where the report was parsed, so in a batch the worker processes do it and the
single writing process only appends lists. Numbers travel as text and are cast to ``DECIMAL`` by
DuckDB, so no value passes through a float. The publisher's division and tier come with the parsed
report (:attr:`ogi.model.Report.region`), so the writing process resolves nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ogi.errors import OgiError
from ogi.model import Report
from ogi.readers.options import ParseOptions
from ogi.units import normalise_agency


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
    cell_pages: list[int | None] = field(default_factory=list)
    cell_boxes: list[list[float]] = field(default_factory=list)
    """(x0, y0, x1, y1) of the printed cell on its page, or empty."""
    cell_confidence: list[float | None] = field(default_factory=list)
    reviewed: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Cells a reviewer corrected: key → (parsed value, parsed flag). Empty for a plain parse."""
    findings: list[tuple[str, str, list[str], str, str | None, str | None]] = field(default_factory=list)
    sections: list[tuple[str, str, str, str]] = field(default_factory=list)

    def cell_columns(self) -> tuple[list[Any], ...]:
        """The cell lists in the order of :data:`ogi.store.columns.CELL_TYPES`."""
        return (self.cell_keys, self.cell_values, self.cell_semantics, self.cell_flags, self.cell_alternatives,
                self.cell_provenance, self.cell_pages, self.cell_boxes, self.cell_confidence)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One file to record: where it was found, its hash and bytes, and what parsing made of it
    (the rows of each report it holds, or the reason it failed)."""

    path: str
    sha256: str
    data: bytes
    rows: list[ReportRows] | None
    error: str | None = None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def report_rows(report: Report, reviewed: dict[str, tuple[str | None, str | None]] | None = None) -> ReportRows:
    """The rows of ``report``; ``reviewed`` names the cells a reviewer corrected (see :attr:`ReportRows.reviewed`)."""
    title = report.meta.get("title")
    region = report.region
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
            "reviewed_cells": len(reviewed or ()),
            "meta": json.dumps(report.meta, ensure_ascii=False, default=str),
            "agency_id": (normalise_agency(report.agency) if report.agency else None) or None,
            "level": report.agency_level,
            "region_code": region.code if region else None,
            "region_name": region.name if region else None,
            "region_level": region.level if region else None,
            "region_ambiguous": region.ambiguous if region else False,
            "region_candidates": [f"{code} {name}" for code, name in region.candidates] if region else [],
            "region_reason": region.reason if region else "",
            "part": report.part.index if report.part else 1,
            "parts": report.part.count if report.part else 1,
            "source_range": report.part.span if report.part else None,
        },
        reviewed=dict(reviewed or {}),
    )
    for key, cell in report.cells.items():
        rows.cell_keys.append(key)
        rows.cell_values.append(_text(cell.value))
        rows.cell_semantics.append(cell.semantic)
        rows.cell_flags.append(cell.flag)
        rows.cell_alternatives.append([_text(a) for a in cell.alternatives])
        rows.cell_provenance.append(cell.where_text())
        p = cell.provenance
        rows.cell_pages.append(p.page if p else None)
        rows.cell_boxes.append(list(p.box) if p and p.box else [])
        rows.cell_confidence.append(p.confidence if p else None)
    rows.findings = [(f.rule, f.severity, list(f.keys), f.message, f.expected, f.printed) for f in report.findings]
    rows.sections = [(s.key, s.heading, s.text, s.where) for s in report.sections.values()]
    return rows


def warm_up() -> None:
    """Load what the first parse would (the division table): run in each worker as it starts."""
    from ogi.units import resolve_region

    resolve_region("")


def parse_file(data: bytes, name: str, options: ParseOptions | None = None) -> list[ReportRows] | str:
    """Parse one file into the rows of each report it holds (one for most files, one per part for
    a compiled volume), or say why not. Never raises: it runs in batch workers, where a bad file (or
    a reader bug) must cost that file only. Lives here, not in ``ogi.batch``, so workers never
    import DuckDB. ``options`` say how to read the file (OCR)."""
    try:
        from ogi.api import parse_all_bytes

        return [report_rows(r) for r in parse_all_bytes(data, name, options)]
    except OgiError as e:
        return getattr(e, "reason", None) or str(e)
    except MemoryError:
        raise  # the caller's memory limit (ogi.batch.limits), not a bug to report
    except Exception as e:
        return f"internal error ({type(e).__name__}: {e}); please report this file"
