"""One batch of documents into the tables, inside the caller's transaction.

Every table gets one append of whole columns per batch (:mod:`ogi.store.append`), never a
row-at-a-time insert.

Versions: a report belongs to the series (path it was read from, agency id, year). A new report in
a series with stored reports gets the next version number and becomes the current one; the older
versions stay, with ``current`` false. A file of several reports (a compiled volume) gives one report
row per part, each in its own series; the parts of one file never supersede one another.

Units: the same report is often stored twice (the PDF and the web page, a crawler's text dump),
and counting both would double every number. Of the current reports of one publisher and year,
the one with the fewest error findings, then the fewest null cells, then the fewest warnings (an
uncertain split is one), then the one in the most original format (:data:`FORMAT_RANK`), then the
first by path, has ``unit`` true; a report with no publisher name is a unit of its own. None of
that depends on the order files were ingested in, so a pool's run and a serial one agree. Kept
here, at write time, so readers filter on a column instead of ranking every report per query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import duckdb

from ogi.store.append import append
from ogi.store.columns import CELL_TYPES, FINDING_TYPES, REPORT_TYPES, SECTION_TYPES
from ogi.store.reconcile import refresh_units
from ogi.store.rows import Entry, ReportRows


@dataclass(frozen=True, slots=True)
class Added:
    sha256: str
    status: Literal["added", "unchanged", "failed"]
    report_id: int | None = None
    """The document's first report (its only one, for most files)."""
    version: int | None = None
    report_ids: tuple[int, ...] = ()
    """Every report recorded for the document, one per part, in order."""


Series = tuple[str, str | None, int | None]

FORMAT_RANK = {f: n for n, f in enumerate(("docx", "doc", "xlsx", "html", "pdf", "image", "text"))}
"""Of equally good sources, the original's own format first: a text dump is what some converter
made of one of the others."""

ReportOf = tuple[Entry, ReportRows]
"""One report of a file: a file of several reports gives several."""


def _versions(con: duckdb.DuckDBPyConnection, entries: Sequence[ReportOf]) -> tuple[list[int], list[int], set[int]]:
    """Each report's version; the stored report ids they supersede; the indexes of reports that a
    later report of the same series in this batch supersedes (never one of the same file: the
    parts of a compiled volume stand side by side)."""
    paths = sorted({e.path for e, _ in entries})
    stored: dict[Series, tuple[int, list[int], int | None]] = {}
    for path, agency_id, year, top, current in con.execute(
        "SELECT path, agency_id, year, max(version), list(id) FILTER (WHERE current) FROM reports "
        "WHERE path IN (SELECT unnest(?)) GROUP BY ALL",
        [paths],
    ).fetchall():
        stored[(path, agency_id, year)] = (top, current or [], None)
    versions: list[int] = []
    superseded: list[int] = []
    replaced: set[int] = set()
    for index, (e, rows) in enumerate(entries):
        series = (e.path, rows.report["agency_id"], rows.report["year"])
        top, current, earlier = stored.get(series, (0, [], None))
        versions.append(top + 1)
        superseded.extend(current)
        if earlier is not None and entries[earlier][0].sha256 != e.sha256:
            replaced.add(earlier)
        stored[series] = (top + 1, [], index)
    return versions, superseded, replaced


def write_batch(
    con: duckdb.DuckDBPyConnection, entries: Sequence[Entry], stored_name: Callable[[str, str], str]
) -> dict[str, Added]:
    now = datetime.now()
    append(
        con,
        "documents",
        {
            "sha256": ("VARCHAR", [e.sha256 for e in entries]),
            "path": ("VARCHAR", [e.path for e in entries]),
            "stored": ("VARCHAR", [stored_name(e.sha256, e.path) for e in entries]),
            "format": ("VARCHAR", [e.rows[0].report["format"] if e.rows else None for e in entries]),
            "size": ("BIGINT", [len(e.data) for e in entries]),
            "ingested_at": ("TIMESTAMP", [now] * len(entries)),
            "status": ("VARCHAR", ["ok" if e.rows else "failed" for e in entries]),
            "error": ("VARCHAR", [e.error for e in entries]),
        },
    )
    done: dict[str, Added] = {e.sha256: Added(e.sha256, "failed") for e in entries if not e.rows}
    ok: list[ReportOf] = [(e, rows) for e in entries if e.rows for rows in e.rows]
    if ok:
        done.update(write_reports(con, ok, now))
    return done


def write_reports(con: duckdb.DuckDBPyConnection, ok: Sequence[ReportOf], now: datetime) -> dict[str, Added]:
    """The report rows of parsed entries whose documents are recorded, one per part: each a new
    version of its series."""
    reports = [rows.report for _, rows in ok]
    ids = [r[0] for r in con.execute("SELECT nextval('report_id_seq') FROM range(?)", [len(ok)]).fetchall()]
    versions, superseded, replaced = _versions(con, ok)
    if superseded:
        con.execute("UPDATE reports SET current = false, unit = false WHERE id IN (SELECT unnest(?))", [superseded])
    current = [i not in replaced for i in range(len(ok))]
    report_cols: dict[str, tuple[str, list[Any]]] = {
        "id": ("BIGINT", ids),
        "sha256": ("VARCHAR", [e.sha256 for e, _ in ok]),
        "path": ("VARCHAR", [e.path for e, _ in ok]),
        "version": ("INTEGER", versions),
        "current": ("BOOLEAN", current),
        # Publisher-less reports stand alone; the others are ranked by _choose_units below.
        "unit": ("BOOLEAN", [c and r["agency_id"] is None for c, r in zip(current, reports, strict=True)]),
        "ingested_at": ("TIMESTAMP", [now] * len(ok)),
    }
    for name, sql_type in REPORT_TYPES.items():
        report_cols[name] = (sql_type, [r[name] for r in reports])
    append(con, "reports", report_cols)
    _choose_units(con, {(r["agency_id"], r["year"]) for r in reports if r["agency_id"] is not None})
    _write_cells(con, ids, ok)
    _write_children(con, ids, ok)
    refresh_units(con, {(r["agency_id"], r["year"]) for r in reports})
    done: dict[str, Added] = {}
    for rid, version, (e, _) in zip(ids, versions, ok, strict=True):
        first = done.get(e.sha256, Added(e.sha256, "added", rid, version))
        done[e.sha256] = replace(first, report_ids=(*first.report_ids, rid))
    return done


def _choose_units(con: duckdb.DuckDBPyConnection, groups: set[tuple[str, int | None]]) -> None:
    """Re-pick the unit report of each (agency id, year) in ``groups``."""
    if not groups:
        return
    ranked: dict[tuple[str, int | None], list[tuple[int, int, int, int, str, int]]] = {}
    for rid, agency_id, year, errors, null_cells, warnings, fmt, path in con.execute(
        "SELECT id, agency_id, year, errors, null_cells, warnings, format, path FROM reports "
        "WHERE current AND agency_id IN (SELECT unnest(?))",
        [sorted({a for a, _ in groups})],
    ).fetchall():
        if (agency_id, year) in groups:
            rank = (errors, null_cells, warnings, FORMAT_RANK.get(fmt, len(FORMAT_RANK)), path, rid)
            ranked.setdefault((agency_id, year), []).append(rank)
    members = [r[-1] for rs in ranked.values() for r in rs]
    best = [min(rs)[-1] for rs in ranked.values()]
    con.execute("UPDATE reports SET unit = list_contains($2, id) WHERE id IN (SELECT unnest($1))", [members, best])


def _write_cells(con: duckdb.DuckDBPyConnection, ids: list[int], entries: Sequence[ReportOf]) -> None:
    rows = [r for _, r in entries]
    if not any(r.cell_keys for r in rows):
        return
    report_ids = [i for i, r in zip(ids, rows, strict=True) for _ in r.cell_keys]
    cells: dict[str, tuple[str, list[Any]]] = {"report_id": ("BIGINT", report_ids)}
    for index, (name, sql_type) in enumerate(CELL_TYPES.items()):
        cells[name] = (sql_type, [v for r in rows for v in r.cell_columns()[index]])
    append(con, "cells", {**cells, **_review_columns(rows)})


def _review_columns(rows: list[ReportRows]) -> dict[str, tuple[str, list[Any]]]:
    """The review columns of ``cells``, only when some cell was corrected (plain parses leave the defaults)."""
    if not any(r.reviewed for r in rows):
        return {}
    parsed = [r.reviewed.get(k) for r in rows for k in r.cell_keys]
    return {
        "reviewed": ("BOOLEAN", [p is not None for p in parsed]),
        "parsed_value": ("DECIMAL(38, 10)", [p[0] if p else None for p in parsed]),
        "parsed_flag": ("VARCHAR", [p[1] if p else None for p in parsed]),
    }


def _write_children(con: duckdb.DuckDBPyConnection, ids: list[int], entries: Sequence[ReportOf]) -> None:
    findings: list[tuple[Any, ...]] = []
    sections: list[tuple[Any, ...]] = []
    for rid, (_, rows) in zip(ids, entries, strict=True):
        findings.extend((rid, *f) for f in rows.findings)
        sections.extend((rid, *s) for s in rows.sections)
    if findings:
        append(con, "findings", _columns(findings, {"report_id": "BIGINT", **FINDING_TYPES}))
    if sections:
        append(con, "sections", _columns(sections, {"report_id": "BIGINT", **SECTION_TYPES}))


def _columns(rows: list[tuple[Any, ...]], types: dict[str, str]) -> dict[str, tuple[str, list[Any]]]:
    return {name: (t, [r[i] for r in rows]) for i, (name, t) in enumerate(types.items())}
