"""One report from several sources: the documents of one publisher and year read as one unit-year.

The same report often arrives as a web page, a PDF and a crawler's text dump. Each is stored as it
was read (``cells`` keeps every source's readings, queryable as they are); here they are linked
(``unit_sources``: the unit report and every current report of its publisher and year) and compared
cell by cell, and the better reading of each cell wins (``reconciled_cells``, with the report it came
from and why):

- a reviewed value (a person's correction) beats every parsed one;
- a printed value beats one inferred from the identities, which beats an uncertain split, which
  beats no value: so a crawler dump's run-together table 二 is settled by the web page's cells;
- two sources that print different values are a finding naming both (``source_findings``,
  ``S_SOURCES_DIFFER``); the unit report's reading stands, as the one with the fewest errors.

The view ``unit_cells`` is the one notion of a unit-year's effective cells: these reconciled cells
where a unit has several sources, else the unit report's own. Runs inside the writer's transaction
for the publishers and years a batch touched, and in full from ``ogi reconcile``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import duckdb

from ogi.model.template import get_template
from ogi.store.append import append

Group = tuple[str, int | None]

# How strong a reading is; the strongest wins.
_REVIEWED, _PRINTED, _INFERRED, _UNCERTAIN, _NONE = 4, 3, 2, 1, 0
_FORMAT_NAMES = {"html": "网页", "text": "文本", "pdf": "PDF", "docx": "Word", "doc": "Word", "wps": "WPS"}


@dataclass(frozen=True, slots=True)
class Reading:
    report_id: int
    value: Decimal | None
    semantic: str
    flag: str | None
    alternatives: tuple[Decimal, ...]
    provenance: str | None
    reviewed: bool = False

    @property
    def strength(self) -> int:
        if self.reviewed:
            return _REVIEWED
        if self.value is None:
            return _NONE
        return {None: _PRINTED, "inferred": _INFERRED, "uncertain": _UNCERTAIN}.get(self.flag, _NONE)

    @property
    def candidates(self) -> set[Decimal]:
        return set() if self.value is None else {self.value, *self.alternatives}


@dataclass(frozen=True, slots=True)
class Source:
    report_id: int
    path: str
    format: str | None
    template: str | None
    is_unit: bool

    def name(self) -> str:
        return f"{_FORMAT_NAMES.get(self.format or '', self.format or '')}「{PurePath(self.path).name}」"


def choose(readings: list[Reading], unit_id: int) -> tuple[Reading, str, list[Reading]]:
    """The winning reading of one cell, how it won (agree / reviewed / printed / settled / conflict /
    kept), and the printed readings that disagree with it (for a finding)."""
    best = max(r.strength for r in readings)
    top = [r for r in readings if r.strength == best]
    # Among equals, the unit report's reading (the source with the fewest errors), then the first.
    winner = next((r for r in top if r.report_id == unit_id), top[0])
    if all(r.value == winner.value and r.flag == winner.flag for r in readings):
        return winner, "agree", []
    if best == _REVIEWED:
        return winner, "reviewed", []
    if best != _PRINTED:
        return winner, "kept", []
    differ = [r for r in top if r.value != winner.value]
    if differ:
        return winner, "conflict", differ
    if any(r.flag == "uncertain" and winner.value in r.candidates for r in readings):
        return winner, "settled", []
    return winner, "printed", []


def _n(v: Decimal | None) -> str:
    if v is None:
        return "空"
    return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f").rstrip("0")


def _has_review_column(con: duckdb.DuckDBPyConnection) -> bool:
    # The web app's review (corrections) adds cells.reviewed; a store without it has no reviews.
    row = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'cells' AND column_name = 'reviewed'"
    ).fetchone()
    return bool(row and row[0])


def reconcile(con: duckdb.DuckDBPyConnection, groups: Iterable[Group] | None = None) -> int:
    """Link and reconcile the reports of the publishers in ``groups`` (agency id, year), every year of
    each (every publisher when None), inside the caller's transaction; returns the number of unit-years with several
    sources."""
    # A group is redone with every other year of its publisher, so deleting by publisher is exact.
    ids = None if groups is None else sorted({a for a, _ in groups if a is not None})
    if ids is not None and not ids:
        return 0
    scope = "" if ids is None else "AND agency_id IN (SELECT unnest($1))"
    params: list[Any] = [] if ids is None else [ids]
    con.execute(
        f"DELETE FROM reconciled_cells WHERE unit_id IN (SELECT unit_id FROM unit_sources WHERE true {scope})", params
    )
    con.execute(f"DELETE FROM unit_sources WHERE true {scope}", params)
    con.execute(f"DELETE FROM source_findings WHERE true {scope}", params)
    rows = con.execute(
        "SELECT id, agency_id, year, path, format, template, unit FROM (SELECT *, count(*) OVER "
        f"(PARTITION BY agency_id, year) AS n FROM reports WHERE current AND agency_id IS NOT NULL {scope}) "
        "WHERE n > 1 ORDER BY id",
        params,
    ).fetchall()
    groups_of: dict[Group, list[Source]] = defaultdict(list)
    for rid, agency_id, year, path, fmt, template, unit in rows:
        groups_of[(agency_id, year)].append(Source(rid, path, fmt, template, unit))
    groups_of = {g: s for g, s in groups_of.items() if any(x.is_unit for x in s)}
    if not groups_of:
        return 0
    report_ids = [s.report_id for ss in groups_of.values() for s in ss]
    reviewed = ", reviewed" if _has_review_column(con) else ", false"
    cells: dict[int, dict[str, Reading]] = defaultdict(dict)
    for rid, key, value, semantic, flag, alts, prov, rev in con.execute(
        f"SELECT report_id, key, value, semantic, flag, alternatives, provenance{reviewed} FROM cells "
        "WHERE report_id IN (SELECT unnest($1))",
        [report_ids],
    ).fetchall():
        cells[rid][key] = Reading(
            rid, value, semantic, flag, tuple(a for a in alts or () if a is not None), prov, bool(rev)
        )
    out: dict[str, list[Any]] = defaultdict(list)
    links: dict[str, list[Any]] = defaultdict(list)
    found: dict[str, list[Any]] = defaultdict(list)
    for (agency_id, year), sources in groups_of.items():
        unit = next(s for s in sources if s.is_unit)
        by_id = {s.report_id: s for s in sources}
        links["unit_id"].append(unit.report_id)
        links["agency_id"].append(agency_id)
        links["year"].append(year)
        links["sources"].append([s.report_id for s in sources])
        keys = dict.fromkeys(k for s in sources for k in cells[s.report_id])
        for key in keys:
            readings = [cells[s.report_id][key] for s in sources if key in cells[s.report_id]]
            winner, how, differ = choose(readings, unit.report_id)
            for name, v in (
                ("unit_id", unit.report_id),
                ("key", key),
                ("value", winner.value),
                ("semantic", winner.semantic),
                ("flag", winner.flag),
                ("alternatives", list(winner.alternatives)),
                ("provenance", winner.provenance),
                ("source_id", winner.report_id),
                ("how", how),
            ):
                out[name].append(v)
            if differ:
                label = get_template(unit.template or "2021").label_of(key)
                both = [winner, *differ]
                said = "，".join(f"{by_id[r.report_id].name()}为{_n(r.value)}" for r in both)
                msg = (
                    f"同一报告的几个来源对「{label}」印的数不同：{said}。"
                    f"现采用{by_id[winner.report_id].name()}的数（该来源差错最少），请对照原件核实。"
                )
                for name, v in (
                    ("unit_id", unit.report_id),
                    ("agency_id", agency_id),
                    ("year", year),
                    ("rule", "S_SOURCES_DIFFER"),
                    ("severity", "warning"),
                    ("keys", [key]),
                    ("message", msg),
                    ("sources", [r.report_id for r in both]),
                    ("readings", [_n(r.value) for r in both]),
                ):
                    found[name].append(v)
    append(
        con,
        "unit_sources",
        _typed(links, {"unit_id": "BIGINT", "agency_id": "VARCHAR", "year": "INTEGER", "sources": "BIGINT[]"}),
    )
    append(
        con,
        "reconciled_cells",
        _typed(
            out,
            {
                "unit_id": "BIGINT",
                "key": "VARCHAR",
                "value": "DECIMAL(38, 10)",
                "semantic": "VARCHAR",
                "flag": "VARCHAR",
                "alternatives": "DECIMAL(38, 10)[]",
                "provenance": "VARCHAR",
                "source_id": "BIGINT",
                "how": "VARCHAR",
            },
        ),
    )
    append(
        con,
        "source_findings",
        _typed(
            found,
            {
                "unit_id": "BIGINT",
                "agency_id": "VARCHAR",
                "year": "INTEGER",
                "rule": "VARCHAR",
                "severity": "VARCHAR",
                "keys": "VARCHAR[]",
                "message": "VARCHAR",
                "sources": "BIGINT[]",
                "readings": "VARCHAR[]",
            },
        ),
    )
    return len(groups_of)


def _typed(columns: dict[str, list[Any]], types: dict[str, str]) -> dict[str, tuple[str, list[Any]]]:
    return {name: (t, columns.get(name, [])) for name, t in types.items()}


def reconcile_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild every unit-year's reconciliation in one transaction (``ogi reconcile``; a store made
    before reconciliation existed needs it once)."""
    con.begin()
    try:
        n = reconcile(con, None)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return n
