"""The corpus as a Parquet dataset: written in parts by batch workers, loaded into the store
(``ogi load``) or queried where it lies (``ogi query --dataset``).

Layout (a folder or an object-store prefix)::

    documents/part-<run>-<batch>.parquet               sha256, path, format, size, ingested_at, status, error
    files/part-<run>-<batch>.parquet                   sha256, path, data (the file's bytes)
    reports/year=2023/part-<run>-<batch>.parquet       sha256, path, and the store's report columns (part among them)
    cells/year=2023/part-<run>-<batch>.parquet         sha256, part, key, value, semantic, flag, alternatives, …
    findings/year=2023/…, sections/year=2023/…         sha256, part, then the store's columns

Columns and types are the store's (:mod:`ogi.store.columns`); rows are keyed by the file's
``sha256`` and the report's ``part`` where the store has a report id: a file holding several
reports (a compiled volume) has a report row per part, 1 for most files. ``year`` is the Hive
partition (null:
``year=__HIVE_DEFAULT_PARTITION__``), so DuckDB, Spark or Trino prune by year.

**Commit.** A batch writes its parts table by table and its ``documents`` part last, each file
whole or not at all (an object PUT; locally a rename). A part counts once its ``documents`` part
exists: readers ignore the others (a batch killed half-way), and the next run deletes them. A
retried batch writes the same names again, so it replaces rather than duplicates; each run has
its own run id, so it never overwrites an earlier run's parts. Files whose hash a committed part
holds are not parsed again.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ogi.errors import StoreError
from ogi.store.columns import CELL_TYPES, DOCUMENT_TYPES, FINDING_TYPES, REPORT_TYPES, SECTION_TYPES
from ogi.store.location import Location, locate
from ogi.store.rows import Entry, ReportRows

if TYPE_CHECKING:
    import pyarrow as pa

    from ogi.store.queries import QueryResult

PARTITIONED = ("reports", "cells", "findings", "sections")
TABLES = ("documents", "files", *PARTITIONED)
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_PART = re.compile(r"^part-(?P<id>[0-9A-Za-z_.-]+)\.parquet$")
_SCALE = Decimal("1e-10")  # DECIMAL(38, 10)


def new_run_id() -> str:
    """Sortable by start time, unique across runs."""
    return f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def part_id(run: str, batch: int | str) -> str:
    return f"{run}-{batch}"


def _arrow_type(sql: str) -> pa.DataType:
    import pyarrow as pa

    if sql.endswith("[]"):
        return pa.list_(_arrow_type(sql[:-2]))
    if sql.startswith("DECIMAL"):
        return pa.decimal128(38, 10)
    return {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_(),
            "DOUBLE": pa.float64(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us")}[sql]  # fmt: skip


def schema(table: str) -> pa.Schema:
    """The Arrow schema of one table's parts (``year``, the partition, is in the path)."""
    import pyarrow as pa

    keyed = {"sha256": "VARCHAR", "part": "INTEGER"}
    types = {
        "documents": DOCUMENT_TYPES,
        "files": {"sha256": "VARCHAR", "path": "VARCHAR"},
        "reports": {"sha256": "VARCHAR", "path": "VARCHAR", **{k: v for k, v in REPORT_TYPES.items() if k != "year"}},
        "cells": {**keyed, **CELL_TYPES},
        "findings": {**keyed, **FINDING_TYPES},
        "sections": {**keyed, **SECTION_TYPES},
    }[table]
    fields = [pa.field(name, _arrow_type(sql)) for name, sql in types.items()]
    if table == "files":
        fields.append(pa.field("data", pa.large_binary()))
    return pa.schema(fields)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    value = Decimal(text)
    return value if value.as_tuple().exponent >= -10 else value.quantize(_SCALE)  # type: ignore[operator]


# -- writing ------------------------------------------------------------------------------


def _rows(entries: Sequence[Entry], now: datetime) -> dict[tuple[str, int | None], dict[str, list[Any]]]:
    """Column lists per (table, year); ``documents`` and ``files`` under year None."""
    out: dict[tuple[str, int | None], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for e in entries:
        fmt = e.rows[0].report["format"] if e.rows else None
        status = "ok" if e.rows else "failed"
        _append(out["documents", None], {"sha256": e.sha256, "path": e.path, "format": fmt, "size": len(e.data),
                                         "ingested_at": now, "status": status, "error": e.error})  # fmt: skip
        _append(out["files", None], {"sha256": e.sha256, "path": e.path, "data": e.data})
        for rows in e.rows or []:
            _report(out, e, rows)
    return out


def _report(out: dict[tuple[str, int | None], dict[str, list[Any]]], e: Entry, rows: ReportRows) -> None:
    """One report of ``e`` (one part of it) into the column lists of its year."""
    year, part = rows.report["year"], rows.report["part"]
    report = {k: v for k, v in rows.report.items() if k != "year"}
    _append(out["reports", year], {"sha256": e.sha256, "path": e.path, **report})
    cells = out["cells", year]
    cells["sha256"].extend([e.sha256] * len(rows.cell_keys))
    cells["part"].extend([part] * len(rows.cell_keys))
    for name, values in zip(CELL_TYPES, rows.cell_columns(), strict=True):
        if name == "value":
            cells[name].extend(_decimal(v) for v in values)
        elif name == "alternatives":
            cells[name].extend([_decimal(a) for a in alts] for alts in values)
        else:
            cells[name].extend(values)
    for table, types, items in (("findings", FINDING_TYPES, rows.findings), ("sections", SECTION_TYPES, rows.sections)):
        columns = out[table, year]
        for item in items:
            _append(columns, {"sha256": e.sha256, "part": part, **dict(zip(types, item, strict=True))})


def _append(columns: dict[str, list[Any]], row: dict[str, Any]) -> None:
    for k, v in row.items():
        columns[k].append(v)


def _write(where: Location, path: str, table: pa.Table) -> None:
    """One Parquet file, whole or absent: object stores write an object in one PUT; a local file
    is written beside and renamed."""
    import pyarrow.parquet as pq

    folder, _, name = path.rpartition("/")
    where.fs.create_dir(folder, recursive=True)
    target = f"{folder}/.{name}.tmp" if where.local else path
    pq.write_table(table, target, filesystem=where.fs, compression="zstd")
    if where.local:
        where.fs.move(target, path)


def write_part(where: Location, part: str, entries: Sequence[Entry]) -> None:
    """Write one batch's rows as part ``part`` of the dataset at ``where``; ``documents`` last."""
    import pyarrow as pa

    if not entries:
        return
    groups = _rows(entries, datetime.now())
    for (table, year), columns in sorted(groups.items(), key=lambda g: g[0][0] == "documents"):
        if not columns:
            continue
        folder = table if table not in PARTITIONED else f"{table}/year={NULL_PARTITION if year is None else year}"
        arrow = pa.Table.from_pydict(dict(columns), schema=schema(table))
        _write(where, where.join(folder, f"part-{part}.parquet"), arrow)


# -- reading ------------------------------------------------------------------------------


def _files(where: Location) -> Iterator[tuple[str, str, str]]:
    """(table, part id, path) of every part file present."""
    import pyarrow.fs

    for table in TABLES:
        selector = pyarrow.fs.FileSelector(where.join(table), recursive=True, allow_not_found=True)
        for info in where.fs.get_file_info(selector):
            match = _PART.match(info.base_name)
            if info.type == pyarrow.fs.FileType.File and match:
                yield table, match["id"], info.path


def parts(where: Location) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    """Committed parts (part id → table → files, in part order) and the files of uncommitted ones."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table, part, path in _files(where):
        found[part][table].append(path)
    committed = {p: dict(found[p]) for p in sorted(found) if "documents" in found[p]}
    orphans = [path for p in found if p not in committed for paths in found[p].values() for path in paths]
    return committed, orphans


def remove_orphans(where: Location) -> int:
    """Delete the parts of batches that never committed (killed runs); only while no run writes."""
    _, orphans = parts(where)
    for path in orphans:
        where.fs.delete_file(path)
    return len(orphans)


def known_hashes(where: Location) -> set[str]:
    """The sha256 of every document in a committed part."""
    import pyarrow.parquet as pq

    committed, _ = parts(where)
    known: set[str] = set()
    for tables in committed.values():
        for path in tables["documents"]:
            known.update(pq.read_table(path, columns=["sha256"], filesystem=where.fs)["sha256"].to_pylist())
    return known


def arrow_dataset(where: Location, table: str, files: Sequence[str]) -> Any:
    """A pyarrow dataset over ``files`` of ``table`` (with ``year`` from the path where partitioned)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    if table not in PARTITIONED:
        return ds.dataset(list(files), schema=schema(table), format="parquet", filesystem=where.fs)
    partitioning = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
    full = schema(table).append(pa.field("year", pa.int32()))
    return ds.dataset(list(files), schema=full, format="parquet", filesystem=where.fs, partitioning=partitioning,
                      partition_base_dir=where.join(table))  # fmt: skip


def read_part(where: Location, tables: dict[str, list[str]]) -> list[Entry]:
    """One committed part's files back as store entries (rows rebuilt as parsing made them)."""
    loaded = {t: arrow_dataset(where, t, tables.get(t, [])).to_table().to_pylist() for t in TABLES}
    data = {f["sha256"]: f["data"] for f in loaded["files"]}
    by_report: dict[tuple[str, int], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in PARTITIONED:
        for row in loaded[table]:
            key = (row.pop("sha256"), row["part"] if table == "reports" else row.pop("part"))
            by_report[key][table].append(row)
    parts_of: dict[str, list[int]] = defaultdict(list)
    for sha, part in sorted(by_report):
        parts_of[sha].append(part)
    entries = []
    for doc in loaded["documents"]:
        sha = doc["sha256"]
        rows = [_report_rows(by_report[sha, part]) for part in parts_of[sha]] if doc["status"] == "ok" else None
        entries.append(Entry(doc["path"], sha, data[sha], rows, doc["error"]))
    return entries


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _report_rows(tables: dict[str, list[dict[str, Any]]]) -> ReportRows:
    (report,) = tables["reports"]
    report.pop("path")
    rows = ReportRows(report={k: report[k] for k in REPORT_TYPES})
    for cell in tables["cells"]:
        rows.cell_keys.append(cell["key"])
        rows.cell_values.append(_text(cell["value"]))
        rows.cell_semantics.append(cell["semantic"])
        rows.cell_flags.append(cell["flag"])
        rows.cell_alternatives.append([_text(a) for a in cell["alternatives"]])
        rows.cell_provenance.append(cell["provenance"])
        rows.cell_pages.append(cell["page"])
        rows.cell_boxes.append(cell["box"] or [])
        rows.cell_confidence.append(cell["confidence"])
    rows.findings = [tuple(f[k] for k in FINDING_TYPES) for f in tables["findings"]]  # type: ignore[misc]
    rows.sections = [tuple(s[k] for k in SECTION_TYPES) for s in tables["sections"]]  # type: ignore[misc]
    return rows


def open_dataset(name: str) -> tuple[Location, dict[str, dict[str, list[str]]]]:
    where = locate(name)
    committed, _ = parts(where)
    return where, committed



def query_dataset(name: str, sql: str) -> QueryResult:
    """Run SQL over the dataset at ``name`` where it lies, in an in-memory DuckDB: its tables are
    views of the committed parts, with the names above."""
    import duckdb

    from ogi.store.queries import QueryResult

    where, committed = open_dataset(name)
    if not committed:
        raise StoreError(f"{name}: no dataset here (no committed part under documents/)")
    con = duckdb.connect()
    try:
        for table in TABLES:
            files = [path for tables in committed.values() for path in tables.get(table, [])]
            con.register(table, arrow_dataset(where, table, files))
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return QueryResult(columns, cur.fetchall() if columns else [])
    except duckdb.Error as e:
        raise StoreError(f"query failed: {e}") from e
    finally:
        con.close()
