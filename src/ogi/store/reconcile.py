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

from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import duckdb

from ogi.model.template import get_template
from ogi.store.append import append

Group = tuple[str | None, int | None]

FORMAT_NAMES = {"html": "网页", "text": "文本", "pdf": "PDF", "docx": "Word", "doc": "Word", "wps": "WPS"}

# Every reading of a linked unit-year, ranked: reviewed 4, printed 3, inferred 2, uncertain 1, no value 0;
# among equals the unit report's (the source with the fewest errors), then the oldest.
_READINGS = """
CREATE OR REPLACE TEMP TABLE rec_readings AS
SELECT *, row_number() OVER (PARTITION BY unit_id, key ORDER BY strength DESC, report_id = unit_id DESC, report_id)
    AS rank
FROM (
    SELECT m.unit_id, c.report_id, c.key, c.value, c.semantic, c.flag, c.alternatives, c.provenance,
        CASE WHEN {reviewed} THEN 4 WHEN c.value IS NULL THEN 0 WHEN c.flag IS NULL THEN 3
             WHEN c.flag = 'inferred' THEN 2 WHEN c.flag = 'uncertain' THEN 1 ELSE 0 END AS strength
    FROM cells c JOIN (SELECT unit_id, unnest(sources) AS report_id FROM rec_links) m ON m.report_id = c.report_id
)
"""

# How the winner won: a reviewed value; all sources agree; no printed value anywhere (kept); a printed
# value some other printed value contradicts (conflict); one that is among an uncertain split's
# readings (settled); one that beats weaker readings (printed).
_CHOSEN = """
CREATE OR REPLACE TEMP TABLE rec_chosen AS
WITH w AS (SELECT * FROM rec_readings WHERE rank = 1),
how AS (
    SELECT w.unit_id, w.key,
        CASE WHEN any_value(w.strength) = 4 THEN 'reviewed'
             WHEN bool_and(r.value IS NOT DISTINCT FROM w.value AND r.flag IS NOT DISTINCT FROM w.flag) THEN 'agree'
             WHEN any_value(w.strength) <> 3 THEN 'kept'
             WHEN bool_or(r.strength = 3 AND r.value <> w.value) THEN 'conflict'
             WHEN bool_or(r.flag = 'uncertain'
                          AND list_contains(list_append(coalesce(r.alternatives, []), r.value), w.value)) THEN 'settled'
             ELSE 'printed' END AS how
    FROM w JOIN rec_readings r ON r.unit_id = w.unit_id AND r.key = w.key
    GROUP BY w.unit_id, w.key
)
SELECT w.unit_id, w.key, w.value, w.semantic, w.flag, w.alternatives, w.provenance, w.report_id AS source_id, how.how
FROM w JOIN how ON how.unit_id = w.unit_id AND how.key = w.key
"""


def _has_review_column(con: duckdb.DuckDBPyConnection) -> bool:
    # The web app's review (corrections) adds cells.reviewed; a store without it has no reviews.
    row = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'cells' AND column_name = 'reviewed'"
    ).fetchone()
    return bool(row and row[0])


def _n(v: Decimal | None) -> str:
    if v is None:
        return "空"
    return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f").rstrip("0")


def source_name(path: str, fmt: str | None) -> str:
    """A source as a reader names it: 网页「pair_2024_page.html」."""
    return f"{FORMAT_NAMES.get(fmt or '', fmt or '')}「{PurePath(path).name}」"


def reconcile(con: duckdb.DuckDBPyConnection, groups: Iterable[Group] | None = None) -> int:
    """Link and reconcile the reports of the publishers in ``groups`` (agency id, year), every year
    of each (every publisher when None), inside the caller's transaction; returns the number of
    unit-years with several sources."""
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
    # Linked: the current reports of the unit's publisher and year, from the same place. Two bodies
    # that share a name (城关镇 in two counties) are not one report.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rec_links AS SELECT u.id AS unit_id, u.agency_id, u.year, "
        "list(r.id ORDER BY r.id) AS sources FROM reports u JOIN reports r ON r.current AND r.agency_id = u.agency_id "
        "AND r.year IS NOT DISTINCT FROM u.year AND (r.region_code IS NOT DISTINCT FROM u.region_code "
        "OR r.region_code IS NULL OR u.region_code IS NULL) "
        f"WHERE u.unit {scope.replace('agency_id', 'u.agency_id')} GROUP BY ALL HAVING count(*) > 1",
        params,
    )
    linked = con.execute("SELECT count(*) FROM rec_links").fetchone()[0]  # type: ignore[index]
    if linked:
        reviewed = "c.reviewed" if _has_review_column(con) else "false"
        con.execute(_READINGS.format(reviewed=reviewed))
        con.execute(_CHOSEN)
        con.execute("INSERT INTO unit_sources SELECT unit_id, agency_id, year, sources FROM rec_links")
        con.execute(
            "INSERT INTO reconciled_cells SELECT unit_id, key, value, semantic, flag, alternatives, provenance, "
            "source_id, how FROM rec_chosen"
        )
        _conflicts(con)
    for table in ("rec_chosen", "rec_readings", "rec_links"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return int(linked)


def _conflicts(con: duckdb.DuckDBPyConnection) -> None:
    """A finding for each cell two sources print differently, naming both (few: written in Python)."""
    rows = con.execute(
        "SELECT l.unit_id, l.agency_id, l.year, u.template, w.key, w.source_id, "
        "list(struct_pack(id := r.report_id, value := r.value) ORDER BY r.report_id) FILTER "
        "(WHERE r.strength = 3 AND r.value <> w.value) "
        "FROM rec_chosen w JOIN rec_links l ON l.unit_id = w.unit_id JOIN reports u ON u.id = w.unit_id "
        "JOIN rec_readings r ON r.unit_id = w.unit_id AND r.key = w.key "
        "WHERE w.how = 'conflict' GROUP BY ALL ORDER BY l.unit_id, w.key"
    ).fetchall()
    if not rows:
        return
    ids = {rid for *_, source, differ in rows for rid in (source, *(d["id"] for d in differ))}
    sql = "SELECT id, path, format FROM reports WHERE id IN (SELECT unnest(?))"
    names = {i: source_name(p, f) for i, p, f in con.execute(sql, [sorted(ids)]).fetchall()}
    sql = "SELECT unit_id, key, value FROM rec_chosen WHERE how = 'conflict'"
    values = {(u, k): v for u, k, v in con.execute(sql).fetchall()}
    found: dict[str, tuple[str, list[Any]]] = {
        c: (t, [])
        for c, t in (
            ("unit_id", "BIGINT"),
            ("agency_id", "VARCHAR"),
            ("year", "INTEGER"),
            ("rule", "VARCHAR"),
            ("severity", "VARCHAR"),
            ("keys", "VARCHAR[]"),
            ("message", "VARCHAR"),
            ("sources", "BIGINT[]"),
            ("readings", "VARCHAR[]"),
        )
    }
    for unit_id, agency_id, year, template, key, source, differ in rows:
        label = get_template(template or "2021").label_of(key)
        both = [(source, values[(unit_id, key)]), *((d["id"], d["value"]) for d in differ)]
        said = "，".join(f"{names[i]}为{_n(v)}" for i, v in both)
        message = (f"同一报告的几个来源对「{label}」印的数不同：{said}。"
                   f"现采用{names[source]}的数（该来源差错最少），请对照原件核实。")  # fmt: skip
        row = (unit_id, agency_id, year, "S_SOURCES_DIFFER", "warning", [key], message, [i for i, _ in both],
               [_n(v) for _, v in both])  # fmt: skip
        for (_, column), value in zip(found.values(), row, strict=True):
            column.append(value)
    append(con, "source_findings", found)


def refresh_units(con: duckdb.DuckDBPyConnection, groups: Iterable[Group] | None = None) -> int:
    """After a write: reconcile the touched publishers' unit-years and refresh their figures (and
    those of any unit without them); returns the number of unit-years with several sources."""
    from ogi.store.figures import refresh_figures

    n = reconcile(con, groups)
    refresh_figures(con, None if groups is None else {a for a, _ in groups if a is not None})
    return n


def reconcile_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild every unit-year's reconciliation and figures in one transaction (``ogi reconcile``;
    a store made before reconciliation existed needs it once)."""
    con.begin()
    try:
        n = refresh_units(con, None)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return n
