"""The corpus-at-a-glance commands: dashboard, coverage, history, compare, units, reconcile.

Each body parses options, calls one library function (:mod:`ogi.overview`, :mod:`ogi.compare`,
:mod:`ogi.units.expected`, :mod:`ogi.store.reconcile`) and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ogi.cli.store_commands import _fail, _plain, db_option, json_flag, print_rows
from ogi.errors import OgiError

_STATUS = {"published": "已发布", "late": "逾期发布", "missing": "未发布"}
_KIND = {"self": "本级政府", "division": "下级政府", "expected": "名单内单位", "found": "库中其他单位"}


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=_plain))


@click.command("coverage")
@click.option("--region", required=True, help="Division code, e.g. 320813 (洪泽区).")
@click.option("--year", required=True, type=int)
@db_option
@json_flag
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def coverage_command(region: str, year: int, db: Path, as_json: bool, as_csv: bool) -> None:
    """Who in a region published a report for a year, who was late, who is missing."""
    from ogi.overview.coverage import coverage
    from ogi.store.db import Store

    try:
        with Store.open(db, read_only=True) as store:
            c = coverage(store, region, year)
    except OgiError as e:
        _fail(e)
    columns = ["unit", "kind", "code", "status", "published", "deadline", "days_late", "errors", "sources", "report_id"]
    rows = [
        (
            m.name,
            _KIND[m.kind],
            m.code,
            _STATUS[m.status],
            m.published,
            m.deadline,
            m.days_late,
            m.errors,
            m.sources or None,
            m.report_id,
        )
        for m in c.members
    ]
    if as_json:
        _echo_json(
            {
                "region": c.region_code,
                "name": c.region_name,
                "year": year,
                "expected": c.expected,
                "published": c.count("published"),
                "late": c.count("late"),
                "missing": c.count("missing"),
                "share": c.share,
                "members": [dict(zip(columns, r, strict=True)) for r in rows],
            }
        )
        return
    print_rows(columns, rows, "csv" if as_csv else "table", title=f"{c.region_name} {year}")
    if not as_csv:
        share = f"{c.share:.0%}" if c.share is not None else "—"
        click.echo(
            f"{c.expected} expected: {c.count('published')} published on time, {c.count('late')} late, "
            f"{c.count('missing')} missing ({share} published)"
        )


@click.command("dashboard")
@click.option("--region", help="Division code; its units and those under it.")
@click.option("--year", type=int)
@click.option("--level", help="部委 / 省 / 市 / 县区 / 乡镇街道 / 部门.")
@click.option("--template", type=click.Choice(["2019", "2021"]))
@click.option("--rule", help="Only units with a finding of this rule (e.g. I3, X_CARRY_OVER).")
@db_option
@json_flag
def dashboard_command(
    region: str | None,
    year: int | None,
    level: str | None,
    template: str | None,
    rule: str | None,
    db: Path,
    as_json: bool,
) -> None:
    """The corpus at a glance: applications, outcomes, refusals, appeals, findings, rankings."""
    from ogi.overview.dashboard import Filters, dashboard
    from ogi.store.db import Store

    try:
        with Store.open(db, read_only=True) as store:
            d = dashboard(store, Filters(region, year, level, template, rule))
    except OgiError as e:
        _fail(e)
    if as_json:
        _echo_json(d)
        return
    a = d["applications"]
    click.echo(
        f"{d['region_name']}: {d['units']} unit-years of {d['publishers']} publishers; applications "
        f"{a['value']} ({a['derived']} derived, {a['uncertain']} uncertain cells); 予以公开 share "
        f"{d['granted_share']:.1%}"
        if d["granted_share"] is not None
        else f"{d['units']} unit-years"
    )
    print_rows(
        ["outcome", "value", "units", "derived", "uncertain"],
        [tuple(o.values()) for o in d["outcomes"]],
        title="outcomes",
    )
    print_rows(["rule", "severity", "n", "units"], [tuple(f.values()) for f in d["findings"]], title="findings")
    print_rows(
        ["id", "agency", "year", "errors", "warnings"],
        [tuple(r.values()) for r in d["ranked_errors"]],
        title="most errors",
    )
    print_rows(
        ["id", "agency", "year", "published", "days_late"],
        [tuple(r.values()) for r in d["ranked_late"]],
        title="latest",
    )


@click.command("history")
@click.argument("agency")
@db_option
@json_flag
def history_command(agency: str, db: Path, as_json: bool) -> None:
    """One unit (agency id or name) across its years: cells, carry-over chain, cross-year findings."""
    from ogi.compare.model import resolve_agency
    from ogi.overview.history import history
    from ogi.store.db import Store

    try:
        with Store.open(db, read_only=True) as store:
            h = history(store, resolve_agency(store, agency))
    except OgiError as e:
        _fail(e)
    if as_json:
        _echo_json(h)
        return
    print_rows(h["cells"]["columns"], h["cells"]["rows"], title=f"{h['agency']} ({h['region_name']})")
    chain = [(c["year"], c["column"], c["carried_forward_prev"], c["carried_over"], c["ok"]) for c in h["carry_over"]]
    print_rows(["year", "column", "last year's 结转下年度", "上年结转", "ok"], chain, title="carry-over chain")
    for f in h["findings"]:
        click.echo(f"{f['year']} {f['rule']} {f['severity']}: {f['message']}")


@click.command("compare")
@click.option("--agency", help="A unit: agency id or name as printed.")
@click.option("--region", help="Every unit of a division code, e.g. 320813.")
@click.option("--year", required=True, type=int, help="The year compared with the year before.")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-pdf", is_flag=True, help="DOCX only (no LibreOffice run).")
@click.option("--html", is_flag=True, help="Also write each report as an HTML page.")
@db_option
def compare_command(
    agency: str | None, region: str | None, year: int, out: Path, no_pdf: bool, html: bool, db: Path
) -> None:
    """Write 比对报告 (year Y against Y−1) as DOCX and PDF: one unit, or every unit of a region plus
    the region's summary sheet (XLSX)."""
    from rich.progress import Progress

    from ogi.compare import compare_region, compare_unit
    from ogi.store.db import Store

    if bool(agency) == bool(region):
        raise click.UsageError("give --agency or --region")
    try:
        with Store.open(db, read_only=True) as store:
            if agency:
                r = compare_unit(store, agency, year, out, pdf=not no_pdf, html=html)
            else:
                with Progress(transient=True) as bar:
                    task = bar.add_task("比对报告", total=None)
                    r = compare_region(
                        store,
                        str(region),
                        year,
                        out,
                        pdf=not no_pdf,
                        html=html,
                        progress=lambda n: bar.advance(task, n),
                    )
    except OgiError as e:
        _fail(e)
    for path in r.files:
        click.echo(str(path))
    for warning in r.warnings:
        click.echo(f"ogi: {warning}", err=True)
    if r.missing:
        click.echo(f"no {year} report from: {', '.join(r.missing)}", err=True)
    click.echo(f"{len(r.units)} units, {len(r.files)} files → {out}", err=True)
    if r.warnings and not no_pdf and not any(p.suffix == ".pdf" for p in r.files):
        sys.exit(1)


@click.group("units")
def units_group() -> None:
    """Expected-unit lists: the bodies a region expects a report from (coverage uses them)."""


@units_group.command("import")
@click.option("--region", required=True, help="Division code the list belongs to.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def units_import(region: str, file: Path, db: Path) -> None:
    """Import a CSV or XLSX list (a name column, optionally a code column), replacing the region's list."""
    from ogi.store.db import Store
    from ogi.units.expected import read_expected, save_expected

    try:
        units = read_expected(file)
        with Store.open(db) as store:
            n = save_expected(store.con, region, units, str(file))
    except OgiError as e:
        _fail(e)
    click.echo(f"{n} expected units for {region} ← {file}", err=True)


@units_group.command("list")
@click.option("--region", required=True)
@db_option
@json_flag
def units_list(region: str, db: Path, as_json: bool) -> None:
    """Print a region's expected-unit list."""
    from ogi.store.db import Store
    from ogi.units.expected import expected_of

    try:
        with Store.open(db, read_only=True) as store:
            units = expected_of(store.con, region)
    except OgiError as e:
        _fail(e)
    print_rows(
        ["name", "agency_id", "code"], [(u.name, u.agency_id, u.code) for u in units], "json" if as_json else "table"
    )


@click.command("reconcile")
@db_option
def reconcile_command(db: Path) -> None:
    """Link and reconcile every unit-year's sources again (ingest does it for what it adds; a store
    from before reconciliation needs it once)."""
    from ogi.store.db import Store
    from ogi.store.reconcile import reconcile_all

    try:
        with Store.open(db) as store:
            n = reconcile_all(store.con)
    except OgiError as e:
        _fail(e)
    click.echo(f"{n} unit-years with several sources reconciled", err=True)


COMMANDS = (coverage_command, dashboard_command, history_command, compare_command, units_group, reconcile_command)


def register(main: click.Group) -> None:
    """Add these commands to the ``ogi`` group; calling it twice changes nothing."""
    for command in COMMANDS:
        if command.name not in main.commands:
            main.add_command(command)
