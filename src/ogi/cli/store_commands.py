"""The corpus store's commands: ingest, query, export, stats, rollup, check --cross-year.

Each body parses options, calls one library function and prints; the store modules are imported
inside the commands so ``ogi parse`` does not load DuckDB.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

from ogi.cli.scale_commands import PATH_OR_URL, dataset_option, ingest_options, query_dataset, run_ingest
from ogi.errors import OgiError

db_option = click.option(
    "--db",
    "db",
    default="ogi.duckdb",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The store file (created by ingest; its raw files are kept in <name>.files beside it).",
)


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, date | datetime):
        return v.isoformat()
    return v


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", title: str = "") -> None:
    """Rows as a rich table, CSV or JSON (a list of objects) on stdout."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in r] for r in rows])
    elif fmt == "json":
        out = [dict(zip(columns, map(_plain, r), strict=True)) for r in rows]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    else:
        table = Table(*columns, title=title or None, title_justify="left")
        for r in rows:
            table.add_row(*("" if v is None else str(_plain(v)) for v in r))
        Console(soft_wrap=False).print(table)


def _fail(e: OgiError) -> NoReturn:
    click.echo(f"ogi: {e}", err=True)
    sys.exit(1)


json_flag = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=PATH_OR_URL)
@db_option
@click.option("--workers", type=click.IntRange(min=1), help="Parsing processes (default: one per CPU).")
@click.option("--retry-failed", is_flag=True, help="Parse again the files that failed before.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--batch", default=64, show_default=True, type=click.IntRange(min=1),
              help="Files written per transaction (with Ray: parsed per task): fewer lose less work to a "
              "crash, more go faster.")  # fmt: skip
@ingest_options
def ingest_command(paths: tuple[Path, ...], db: Path, **options: Any) -> None:
    """Ingest report files and folders (recursively) into the store; unchanged files are skipped.

    Exits 1 when any file could not be read as a report; each is listed with its reason."""
    try:
        r = run_ingest(paths, db, **options)
    except OgiError as e:
        _fail(e)
    versions = f" ({r.new_versions} as new versions)" if r.new_versions else ""
    click.echo(f"{r.added} added{versions}, {r.unchanged} unchanged, {len(r.failed)} failed", err=True)
    for path, reason in r.failed:
        click.echo(f"ogi: {path}: {reason}", err=True)
    if r.failed:
        sys.exit(1)


@click.command("query")
@click.argument("sql")
@db_option
@dataset_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@json_flag
def query_command(sql: str, db: Path, dataset: str | None, as_csv: bool, as_json: bool) -> None:
    """Run SQL against the store (read-only) and print the result; docs/store.md lists the tables."""
    from ogi.store.db import Store
    from ogi.store.queries import query

    try:
        if dataset is not None:
            result = query_dataset(dataset, sql)
        else:
            with Store.open(db, read_only=True) as store:
                result = query(store, sql)
    except OgiError as e:
        _fail(e)
    print_rows(result.columns, result.rows, "csv" if as_csv else "json" if as_json else "table")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx"]), default="csv", show_default=True)
@click.option("--wide/--long", default=True, show_default=True, help="One row per report, or per report and cell.")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), help="Output file.")
@click.option("--chinese-headers", is_flag=True, help="Column names in Chinese (the tables' labels).")
@click.option("--all-sources", is_flag=True,
              help="Every current report as read, instead of one row per unit-year with its reconciled cells.")
@click.option("--flags", "flag_columns", is_flag=True, help="A <key>__flag column beside each cell (wide shape).")
@click.option("--printed-only", is_flag=True, help="Leave cells empty that the document does not print as one number "
              "(inferred by the identities, uncertain splits).")
@db_option
def export_command(fmt: str, wide: bool, out: Path | None, chinese_headers: bool, all_sources: bool,
                   flag_columns: bool, printed_only: bool, db: Path) -> None:
    """Export the unit-years (or --all-sources: every current report) as CSV (to stdout without -o),
    Parquet or xlsx (with a flags sheet: every cell that is not a plain printed value, and its source)."""
    from ogi.store.db import Store
    from ogi.store.queries import ExportOptions, export

    options = ExportOptions(units=not all_sources, flag_columns=flag_columns, printed_only=printed_only)
    try:
        with Store.open(db, read_only=True) as store:
            n = export(store, fmt, "wide" if wide else "long", out, chinese_headers=chinese_headers, options=options)  # type: ignore[arg-type]
    except OgiError as e:
        _fail(e)
    if out is not None:
        click.echo(f"{n} rows → {out}", err=True)


@click.command("stats")
@db_option
@json_flag
def stats_command(db: Path, as_json: bool) -> None:
    """Counts of documents, reports (by year, template, level) and findings (by rule)."""
    from ogi.store.db import Store
    from ogi.store.queries import stats

    try:
        with Store.open(db, read_only=True) as store:
            tables = stats(store)
    except OgiError as e:
        _fail(e)
    if as_json:
        out = {k: [dict(zip(t.columns, map(_plain, r), strict=True)) for r in t.rows] for k, t in tables.items()}
        click.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return
    for name, t in tables.items():
        print_rows(t.columns, t.rows, title=name)


@click.command("rollup")
@click.option("--region", required=True, help="Division code, e.g. 320800 (淮安市).")
@click.option("--year", required=True, type=int)
@db_option
@json_flag
def rollup_command(region: str, year: int, db: Path, as_json: bool) -> None:
    """Sum a region's publishing units for a year; list who is in, left out, broken or missing."""
    from ogi.store.db import Store
    from ogi.store.keys import cell_labels
    from ogi.store.queries import rollup

    try:
        with Store.open(db, read_only=True) as store:
            r = rollup(store, region, year)
    except OgiError as e:
        _fail(e)
    units = [(u.agency or u.agency_id, u.level, u.region_code, "included", "") for u in r.included]
    units += [(u.agency or u.agency_id, u.level, u.region_code, "excluded", why) for u, why in r.excluded]
    units += [(u.agency or u.agency_id, u.level, u.region_code, "broken", why) for u, why in r.broken]
    units += [(a, None, None, "missing", f"no {year} report stored") for a in r.missing]
    labels = cell_labels(r.totals)
    totals = [(k, labels[k], r.totals[k], r.counts[k]) for k in r.totals]
    if as_json:
        out = {"region": r.region_code, "name": r.region_name, "year": year, "units": units, "totals": totals}
        click.echo(json.dumps(out, ensure_ascii=False, indent=1, default=_plain))
        return
    print_rows(["unit", "level", "region", "status", "why"], units, title=f"{r.region_name} {year}: units")
    print_rows(["key", "label", "sum", "units"], totals, title=f"{r.region_name} {year}: totals")


@click.command("check")
@click.option("--cross-year", is_flag=True, help="Compare each publisher's reports of neighbouring years.")
@click.option("--threshold", default=0.9, show_default=True, help="Text similarity reported as reuse.")
@db_option
@json_flag
def check_command(cross_year: bool, threshold: float, db: Path, as_json: bool) -> None:
    """Check stored reports against each other (--cross-year: each publisher's neighbouring years)."""
    from ogi.store.crossyear import check_cross_year
    from ogi.store.db import Store

    if not cross_year:
        raise click.UsageError("say what to check: --cross-year")
    try:
        with Store.open(db) as store:
            found = check_cross_year(store, threshold=threshold)
    except OgiError as e:
        _fail(e)
    if as_json:
        rows = [(f.agency_id, f.year, f.rule, f.severity, f.keys, f.message, f.expected, f.printed) for f in found]
        print_rows(["agency", "year", "rule", "severity", "keys", "message", "expected", "printed"], rows, "json")
    else:
        # Messages are whole sentences; a table would cut them.
        for f in found:
            click.echo(f"{f.agency_id} {f.year} {f.rule} {f.severity}: {f.message}")
    click.echo(f"{len(found)} cross-year findings", err=True)


COMMANDS = (ingest_command, query_command, export_command, stats_command, rollup_command, check_command)


def register(main: click.Group) -> None:
    """Add the store commands to the ``ogi`` group; calling it twice changes nothing."""
    for command in COMMANDS:
        if command.name not in main.commands:
            main.add_command(command)
