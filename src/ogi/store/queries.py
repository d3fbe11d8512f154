"""Reading the store: SQL, summary counts, and exports in long or wide shape.

Exports cover the current version of every stored report (superseded versions stay in the
database but out of exports). Long: one row per report and cell. Wide: one row per report,
one column per cell key — the 2021 template's keys, then the 2019 template's others, then local
extension keys — named by key or, with ``chinese_headers``, by the template's label.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

import duckdb

from ogi.errors import StoreError
from ogi.model.report import json_number
from ogi.store.db import Store
from ogi.store.keys import cell_labels, ordered, template_keys
from ogi.store.rollup import Rollup, rollup

Format = Literal["csv", "parquet", "xlsx"]
Shape = Literal["wide", "long"]
XLSX_MAX_ROWS = 1_048_575  # the sheet's limit less the header row
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters openpyxl refuses

REPORT_COLUMNS: dict[str, str] = {
    "id": "报告编号",
    "agency": "发布机关",
    "agency_id": "机关标识",
    "level": "层级",
    "region_code": "行政区划代码",
    "region_name": "行政区划",
    "year": "年度",
    "template": "格式",
    "published": "发布日期",
    "title": "标题",
    "format": "文件格式",
    "path": "文件路径",
    "source_url": "来源网址",
    "sha256": "文件哈希",
    "part": "文件内第几份",
    "source_range": "文件内位置",
    "version": "版本",
    "errors": "错误数",
    "warnings": "警告数",
    "reviewed_cells": "已审核单元格数",
}
UNIT_COLUMNS: dict[str, str] = {"how": "来源判定", "source_id": "来源报告"}
LONG_COLUMNS: dict[str, str] = {
    "key": "单元格",
    "label": "项目",
    "value": "数值",
    "flag": "标记",
    "semantic": "原文",
    "provenance": "出处",
    "reviewed": "已审核",
    "parsed_value": "原读数",
}


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def query(store: Store, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
    """Run any SQL against the store (read-only when the store was opened so)."""
    try:
        cur = store.con.execute(sql, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        return QueryResult(columns, cur.fetchall() if columns else [])
    except duckdb.Error as e:
        raise StoreError(f"query failed: {e}") from e


def stats(store: Store) -> dict[str, QueryResult]:
    """Counts a reader starts from: documents by status, current reports by year, template and
    level, findings by rule (per-report and cross-year)."""
    current = "FROM reports WHERE current"
    sqls = {
        "documents": "SELECT status, count(*) AS n, sum(size) AS bytes FROM documents GROUP BY ALL ORDER BY status",
        "reports": "SELECT count(*) FILTER (WHERE current) AS current, count(*) FILTER (WHERE NOT current) AS "
        "superseded, count(DISTINCT agency_id) AS agencies FROM reports",
        "by_year": f"SELECT year, count(*) AS n {current} GROUP BY ALL ORDER BY year",
        "by_template": f"SELECT template, count(*) AS n {current} GROUP BY ALL ORDER BY template",
        "by_level": f"SELECT level, count(*) AS n {current} GROUP BY ALL ORDER BY n DESC, level",
        "findings": "SELECT f.rule, f.severity, count(*) AS n, count(DISTINCT f.report_id) AS reports "
        "FROM findings f JOIN reports r ON r.id = f.report_id WHERE r.current GROUP BY ALL ORDER BY n DESC, rule",
        "cross_year": "SELECT rule, severity, count(*) AS n, count(DISTINCT report_id) AS reports "
        "FROM cross_findings GROUP BY ALL ORDER BY n DESC, rule",
    }
    return {name: query(store, sql) for name, sql in sqls.items()}


def _ordered_keys(store: Store) -> list[str]:
    stored = [r[0] for r in store.con.execute("SELECT DISTINCT key FROM cells").fetchall()]
    return ordered([*template_keys(), *stored])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A collected report's URL (``ogi collect --ingest``): the first it was fetched from (ties by URL).
_SOURCE_JOIN = (
    "LEFT JOIN (SELECT sha256, arg_min(url, (fetched_at, url)) AS source_url FROM sources GROUP BY sha256) src "
    "ON src.sha256 = r.sha256"
)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """``units``: one row per unit-year with its effective cells (reconciled across sources,
    reviewed values first) instead of every current report as read; ``flag_columns``: a
    ``<key>__flag`` column beside each cell of the wide shape (inferred, uncertain, reviewed, missing,
    blank, na; empty for a printed value); ``printed_only``: cells the document does not print as one
    number (inferred by the identities, or an uncertain split) left empty."""

    units: bool = False
    flag_columns: bool = False
    printed_only: bool = False


def _value(options: ExportOptions, alias: str) -> str:
    if options.printed_only:
        return f"CASE WHEN {alias}.flag IN ('inferred', 'uncertain') THEN NULL ELSE {alias}.value END"
    return f"{alias}.value"


def _cells(options: ExportOptions) -> str:
    """The cells exported, as a subquery with report_id, key, value, flag, semantic, provenance, how,
    source_id, reviewed, parsed_value."""
    if options.units:
        # A reviewed value is flagged as such; its parsed value is its source report's.
        return (
            f"(SELECT u.unit_id AS report_id, u.key, {_value(options, 'u')} AS value, "
            "CASE WHEN u.how = 'reviewed' THEN 'reviewed' ELSE u.flag END AS flag, u.semantic, u.provenance, u.how, "
            "u.source_id, u.how = 'reviewed' AS reviewed, s.parsed_value FROM unit_cells u "
            "LEFT JOIN cells s ON s.report_id = u.source_id AND s.key = u.key)"
        )
    return (
        f"(SELECT c.report_id, c.key, {_value(options, 'c')} AS value, c.flag, c.semantic, c.provenance, "
        "CASE WHEN c.reviewed THEN 'reviewed' ELSE 'parsed' END AS how, c.report_id AS source_id, c.reviewed, "
        "c.parsed_value FROM cells c)"
    )


def _scope(store: Store, options: ExportOptions, ids: Sequence[int] | None) -> str:
    """Which reports are exported: the unit-years or the current reports, of ``ids`` only when given."""
    which = "r.unit" if options.units else "r.current"
    if ids is not None:
        store.con.execute("CREATE OR REPLACE TEMP TABLE export_ids AS SELECT unnest($1::BIGINT[]) AS id", [list(ids)])
        which += " AND r.id IN (SELECT id FROM export_ids)"
    return which


def _sql(
    store: Store,
    shape: Shape,
    chinese: bool,
    ids: Sequence[int] | None = None,
    options: ExportOptions = ExportOptions(),
) -> tuple[str, list[str]]:
    """The export's SELECT and its column names; ``ids`` limits it to those reports."""
    head = {c: (REPORT_COLUMNS[c] if chinese else c) for c in REPORT_COLUMNS}
    select = [f"{'src' if c == 'source_url' else 'r'}.{c} AS {_quote(n)}" for c, n in head.items()]
    which = _scope(store, options, ids)
    cells = _cells(options)
    if shape == "long":
        keys = _ordered_keys(store)
        labels = cell_labels(keys)
        columns = {**LONG_COLUMNS, **(UNIT_COLUMNS if options.units else {})}
        tail = {c: (columns[c] if chinese else c) for c in columns}
        store.con.execute("CREATE OR REPLACE TEMP TABLE export_keys (key VARCHAR, label VARCHAR, ord INTEGER)")
        store.con.execute(
            "INSERT INTO export_keys SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), unnest(range(len($1)))",
            [keys, [labels[k] for k in keys]],
        )
        select += [f"{'k' if c in ('key', 'label') else 'c'}.{c} AS {_quote(n)}" for c, n in tail.items()]
        sql = (
            f"SELECT {', '.join(select)} FROM reports r {_SOURCE_JOIN} JOIN {cells} c ON c.report_id = r.id "
            f"JOIN export_keys k ON k.key = c.key WHERE {which} ORDER BY r.id, k.ord"
        )
        return sql, [*head.values(), *tail.values()]
    keys = _ordered_keys(store)
    names = cell_labels(keys) if chinese else {k: k for k in keys}
    flag_names = {k: f"{names[k]}__flag" for k in keys}
    pivot = [f"first(value) FILTER (WHERE key = {_literal(k)}) AS {_quote(names[k])}" for k in keys]
    wanted = [names[k] for k in keys]
    if options.flag_columns:
        pivot += [f"first(flag) FILTER (WHERE key = {_literal(k)}) AS {_quote(flag_names[k])}" for k in keys]
        wanted = [n for k in keys for n in (names[k], flag_names[k])]
    # Which values a reviewer set, so a spreadsheet can tell them from parsed ones.
    reviewed = "已审核单元格" if chinese else "reviewed_keys"
    pivot.append(f"string_agg(key, ' ' ORDER BY key) FILTER (WHERE reviewed) AS {_quote(reviewed)}")
    sql = (
        f"SELECT {', '.join(select)}, p.{_quote(reviewed)}, {', '.join('p.' + _quote(n) for n in wanted)} "
        f"FROM reports r {_SOURCE_JOIN} LEFT JOIN (SELECT report_id, {', '.join(pivot)} FROM {cells} c "
        f"GROUP BY report_id) p ON p.report_id = r.id WHERE {which} ORDER BY r.id"
    )
    return sql, [*head.values(), reviewed, *wanted]


def _flags_sql(options: ExportOptions, chinese: bool, which: str) -> tuple[str, list[str]]:
    """Every exported cell that is not a plain printed value of one source: what it is and where it came from."""
    names = ["report_id", "agency", "year", "key", "value", "flag", "how", "source_id", "source_path", "provenance"]
    zh = ["报告编号", "发布机关", "年度", "单元格", "数值", "标记", "来源判定", "来源报告", "来源文件", "出处"]
    sql = (
        "SELECT r.id, r.agency, r.year, c.key, c.value, c.flag, c.how, c.source_id, s.path, c.provenance "
        f"FROM reports r JOIN {_cells(options)} c ON c.report_id = r.id LEFT JOIN reports s ON s.id = c.source_id "
        f"WHERE {which} AND (c.flag IS NOT NULL OR c.how NOT IN ('parsed', 'agree')) ORDER BY r.id, c.key"
    )
    return sql, zh if chinese else names


def _csv_value(v: Any) -> Any:
    # DECIMAL(38,10) prints "3.000000"; a count is written as the integer it is, an amount exactly.
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else format(v, "f").rstrip("0")
    return v


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return json_number(v)
    if isinstance(v, str):
        return _XLSX_ILLEGAL.sub("", v)
    return v


def export(
    store: Store,
    fmt: Format,
    shape: Shape = "wide",
    out: str | Path | IO[str] | None = None,
    *,
    chinese_headers: bool = False,
    ids: Sequence[int] | None = None,
    options: ExportOptions = ExportOptions(),
) -> int:
    """Write the current reports (or, with ``options.units``, the unit-years; of ``ids`` only, when
    given) to ``out`` (CSV goes to stdout when ``out`` is None); returns the number of rows written.
    Reviewed values are exported as the reviewer set them: wide exports list the reviewed cells per
    report, long ones mark each. An XLSX file also gets a ``flags`` sheet listing every cell that is
    not a plain printed value, with its source."""
    sql, columns = _sql(store, shape, chinese_headers, ids, options)
    if fmt == "parquet":
        if out is None or not isinstance(out, str | Path):
            raise StoreError("parquet export needs an output file (-o FILE)")
        target = _literal(Path(out).as_posix())
        store.con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet)")
        return int(store.con.execute(f"SELECT count(*) FROM read_parquet({target})").fetchone()[0])  # type: ignore[index]
    cur = store.con.execute(sql)
    if fmt == "csv":
        if isinstance(out, str | Path):
            with open(out, "w", newline="", encoding="utf-8-sig") as fh:
                return _write_csv(cur, columns, fh)
        return _write_csv(cur, columns, out or sys.stdout)
    if fmt == "xlsx":
        if out is None or not isinstance(out, str | Path):
            raise StoreError("xlsx export needs an output file (-o FILE)")
        flags_sql, flag_columns = _flags_sql(options, chinese_headers, _scope(store, options, ids))
        return _write_xlsx(cur, columns, Path(out), shape, lambda: (store.con.execute(flags_sql), flag_columns))
    raise StoreError(f"unknown export format {fmt!r}: csv, parquet or xlsx")


def _write_csv(cur: duckdb.DuckDBPyConnection, columns: list[str], fh: IO[str]) -> int:
    writer = csv.writer(fh)
    writer.writerow(columns)
    n = 0
    while chunk := cur.fetchmany(10_000):
        writer.writerows([[_csv_value(v) for v in row] for row in chunk])
        n += len(chunk)
    return n


def _write_xlsx(
    cur: duckdb.DuckDBPyConnection,
    columns: list[str],
    path: Path,
    shape: Shape,
    flags: Callable[[], tuple[duckdb.DuckDBPyConnection, list[str]]] | None = None,
) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    n = _sheet(wb.create_sheet(f"reports ({shape})"), cur, columns)
    if flags is not None:
        _sheet(wb.create_sheet("flags"), *flags())
    wb.save(path)
    return n


def _sheet(ws: Any, cur: duckdb.DuckDBPyConnection, columns: list[str]) -> int:
    ws.append(columns)
    n = 0
    while chunk := cur.fetchmany(10_000):
        n += len(chunk)
        if n > XLSX_MAX_ROWS:
            raise StoreError(f"{n}+ rows do not fit an xlsx sheet; export parquet or csv instead")
        for row in chunk:
            ws.append([_xlsx_value(v) for v in row])
    return n


__all__ = ["ExportOptions", "QueryResult", "Rollup", "export", "query", "rollup", "stats"]
