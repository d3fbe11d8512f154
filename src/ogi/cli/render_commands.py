"""Writing reports: ``ogi render`` (a report in the official layout) and ``ogi template`` (the blank form).

The bodies read the input, call :mod:`ogi.render.formats` and write the file; the renderers are
imported inside the commands so ``ogi parse`` does not load them.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import click

from ogi.errors import InputError, OgiError
from ogi.model import Report
from ogi.model.template import TEMPLATE_IDS

IDENTITY_RULES = ("I1", "I2", "I3", "I4", "I7", "I8")
NOT_READ_EXACTLY = {"inferred": "推算值", "uncertain": "不确定读数"}


def _fail(message: str) -> NoReturn:
    click.echo(f"ogi: {message}", err=True)
    sys.exit(1)


def _from_json(path: Path, data: bytes) -> Report:
    from ogi.fill.draft import Draft

    try:
        obj = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(str(path), f"not valid JSON ({e})") from e
    if isinstance(obj, list):
        raise InputError(str(path), f"holds {len(obj)} reports (parse --json of several files); render one at a time")
    report = Draft.from_json(obj, str(path)).to_report()
    flags = obj.get("flags") if isinstance(obj.get("flags"), dict) else {}
    for key, flag in flags.items():  # an ogi parse --json result says which values were not read exactly
        if key in report.cells and flag in NOT_READ_EXACTLY:
            report.cells[key].flag = flag
    return report


def load_input(path: Path | None, db: Path | None, report_id: int | None) -> Report:
    """The report to render: a stored one, an ``ogi parse --json`` file or a draft, or any report
    file ogi reads (parsed, so a PDF can be written again as DOCX)."""
    if report_id is not None:
        from ogi.store.db import Store
        from ogi.store.load import load_report

        with Store.open(db or "ogi.duckdb", read_only=True) as store:
            return load_report(store, report_id)
    assert path is not None
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), e.strerror or "cannot be read") from e
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return _from_json(path, data)
    from ogi.api import parse_bytes

    return parse_bytes(data, str(path))


def _write(report: Report, out: Path, fmt: str) -> None:
    from ogi.render.formats import render

    data = render(report, fmt)
    try:
        out.write_bytes(data)
    except OSError as e:
        _fail(f"{out}: cannot write ({e.strerror or e})")


@click.command("render")
@click.argument("input_file", metavar="INPUT", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write; its suffix picks the format: .docx .pdf .html .xlsx .md .txt")  # fmt: skip
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="The store for --id (default ogi.duckdb).")
@click.option("--id", "report_id", type=int, help="Render the stored report with this id instead of INPUT.")
def render_command(input_file: Path | None, out: Path, db: Path | None, report_id: int | None) -> None:
    """Write a report in the official layout: title, the six sections, the four tables with their
    merged headers, the agency and date at the end.

    INPUT is an `ogi parse --json` file, a draft's JSON, or any report file ogi reads; or use
    --db FILE --id N for a stored report. A report that breaks identities is still written (it is
    the author's report); the broken identities are listed on standard error."""
    from ogi.render.formats import format_of

    if (input_file is None) == (report_id is None):
        _fail("give either INPUT or --id N (with --db FILE), not both or neither")
    try:
        fmt = format_of(out)  # before the input is read: a wrong suffix is found at once
        report = load_input(input_file, db, report_id)
        _write(report, out, fmt)
    except OgiError as e:
        _fail(str(e))
    broken = [f for f in report.findings if f.rule in IDENTITY_RULES and f.severity == "error"]
    for f in broken:
        click.echo(f"ogi: {out}: {f.rule}: {f.message}", err=True)
    if broken:
        click.echo(f"ogi: {out}: written, but {len(broken)} identities do not hold (listed above)", err=True)
    # A value the source did not print, or printed ambiguously, is written like any other: say which.
    for flag, name in NOT_READ_EXACTLY.items():
        if keys := [k for k, c in report.cells.items() if c.flag == flag]:
            shown = ", ".join(keys[:8]) + (" …" if len(keys) > 8 else "")
            click.echo(
                f"ogi: {out}: {len(keys)} {flag} values ({name}) written as chosen, check them: {shown}", err=True
            )


@click.command("template")
@click.argument("template_id", metavar="2019|2021", type=click.Choice(TEMPLATE_IDS))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write; its suffix picks the format: .docx .pdf .html .xlsx .md .txt")  # fmt: skip
@click.option("--agency", help="Print this agency in the title and at the end.")
@click.option("--year", type=int, help="Print this year in the title.")
def template_command(template_id: str, out: Path, agency: str | None, year: int | None) -> None:
    """Write the blank official form of a template: every table cell empty (never 0), ready to fill."""
    from ogi.render.formats import blank, format_of

    try:
        _write(blank(template_id, agency=agency, year=year), out, format_of(out))
    except OgiError as e:
        _fail(str(e))


def register(main: click.Group) -> None:
    main.add_command(render_command)
    main.add_command(template_command)
