"""One batch of documents into the tables, inside the caller's transaction.

Every table gets one append of whole columns per batch (:mod:`ogi.store.append`), never a
row-at-a-time insert.

Versions: a report belongs to the series (path it was read from, agency id, year). A new report in
a series with stored reports gets the next version number and becomes the current one; the older
versions stay, with ``current`` false.

Units: the same report is often stored twice (the PDF and the web page, a crawler's text dump),
and counting both would double every number. Of the current reports of one publisher and year,
the one with the fewest error findings, then the fewest null cells, then the newest, has ``unit``
true; a report with no publisher name is a unit of its own. Kept here, at write time, so readers
filter on a column instead of ranking every report per query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import duckdb

from ogi.store.append import append
from ogi.store.rows import ReportRows


@dataclass(frozen=True, slots=True)
class Entry:
    """One file to record: where it was found, its hash and bytes, and what parsing made of it
    (the rows of each report it holds, or the reason it failed)."""

    path: str
    sha256: str
    data: bytes
    rows: list[ReportRows] | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Added:
    sha256: str
    status: Literal["added", "unchanged", "failed"]
    report_id: int | None = None
    version: int | None = None


_REPORT_TYPES: dict[str, str] = {
    "format": "VARCHAR",
    "agency": "VARCHAR",
    "agency_id": "VARCHAR",
    "level": "VARCHAR",
    "region_code": "VARCHAR",
    "region_name": "VARCHAR",
    "region_level": "VARCHAR",
    "region_ambiguous": "BOOLEAN",
    "region_candidates": "VARCHAR[]",
    "region_reason": "VARCHAR",
    "year": "INTEGER",
    "template": "VARCHAR",
    "published": "DATE",
    "title": "VARCHAR",
    "errors": "INTEGER",
    "warnings": "INTEGER",
    "null_cells": "INTEGER",
    "meta": "VARCHAR",
    "part": "INTEGER",
    "parts": "INTEGER",
    "source_range": "VARCHAR",
}

Series = tuple[str, str | None, int | None]


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
    if not ok:
        return done
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
    for name, sql_type in _REPORT_TYPES.items():
        report_cols[name] = (sql_type, [r[name] for r in reports])
    append(con, "reports", report_cols)
    _choose_units(con, {(r["agency_id"], r["year"]) for r in reports if r["agency_id"] is not None})
    _write_cells(con, ids, ok)
    _write_children(con, ids, ok)
    for rid, version, (e, _) in zip(ids, versions, ok, strict=True):
        done.setdefault(e.sha256, Added(e.sha256, "added", rid, version))
    return done


def _choose_units(con: duckdb.DuckDBPyConnection, groups: set[tuple[str, int | None]]) -> None:
    """Re-pick the unit report of each (agency id, year) in ``groups``."""
    if not groups:
        return
    ranked: dict[tuple[str, int | None], list[tuple[int, int, int]]] = {}
    for rid, agency_id, year, errors, null_cells in con.execute(
        "SELECT id, agency_id, year, errors, null_cells FROM reports WHERE current AND agency_id IN (SELECT unnest(?))",
        [sorted({a for a, _ in groups})],
    ).fetchall():
        if (agency_id, year) in groups:
            ranked.setdefault((agency_id, year), []).append((errors, null_cells, -rid))
    members = [-r[2] for rs in ranked.values() for r in rs]
    best = [-min(rs)[2] for rs in ranked.values()]
    con.execute("UPDATE reports SET unit = list_contains($2, id) WHERE id IN (SELECT unnest($1))", [members, best])


def _write_cells(con: duckdb.DuckDBPyConnection, ids: list[int], entries: Sequence[ReportOf]) -> None:
    rows = [r for _, r in entries]
    if not any(r.cell_keys for r in rows):
        return
    append(
        con,
        "cells",
        {
            "report_id": ("BIGINT", [i for i, r in zip(ids, rows, strict=True) for _ in r.cell_keys]),
            "key": ("VARCHAR", [k for r in rows for k in r.cell_keys]),
            "value": ("DECIMAL(38, 10)", [v for r in rows for v in r.cell_values]),
            "semantic": ("VARCHAR", [s for r in rows for s in r.cell_semantics]),
            "flag": ("VARCHAR", [f for r in rows for f in r.cell_flags]),
            "alternatives": ("DECIMAL(38, 10)[]", [a for r in rows for a in r.cell_alternatives]),
            "provenance": ("VARCHAR", [p for r in rows for p in r.cell_provenance]),
        },
    )


def _write_children(con: duckdb.DuckDBPyConnection, ids: list[int], entries: Sequence[ReportOf]) -> None:
    findings: list[tuple[Any, ...]] = []
    sections: list[tuple[Any, ...]] = []
    for rid, (_, rows) in zip(ids, entries, strict=True):
        findings.extend((rid, *f) for f in rows.findings)
        sections.extend((rid, *s) for s in rows.sections)
    if findings:
        types = {"report_id": "BIGINT", "rule": "VARCHAR", "severity": "VARCHAR", "keys": "VARCHAR[]",
                 "message": "VARCHAR", "expected": "VARCHAR", "printed": "VARCHAR"}  # fmt: skip
        append(con, "findings", _columns(findings, types))
    if sections:
        types = {"report_id": "BIGINT", "key": "VARCHAR", "heading": "VARCHAR", "text": "VARCHAR", "where": "VARCHAR"}
        append(con, "sections", _columns(sections, types))


def _columns(rows: list[tuple[Any, ...]], types: dict[str, str]) -> dict[str, tuple[str, list[Any]]]:
    return {name: (t, [r[i] for r in rows]) for i, (name, t) in enumerate(types.items())}
