"""The ``ogi`` command: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from ogi import __version__
from ogi.api import parse_all
from ogi.cli.collect_command import register as register_collect_command
from ogi.cli.ocr import ocr_option
from ogi.cli.overview_commands import register as register_overview_commands
from ogi.cli.render_commands import register as register_render_commands
from ogi.cli.scale_commands import register as register_scale_commands
from ogi.cli.serve import serve_command
from ogi.cli.store_commands import register as register_store_commands
from ogi.errors import OgiError
from ogi.readers.options import ParseOptions


@click.group()
@click.version_option(__version__, prog_name="ogi")
def main() -> None:
    """ogi: 政府信息公开工作年度报告 → exact, checked data."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per report (a list for several reports).")
@ocr_option
def parse_command(files: tuple[Path, ...], as_json: bool, ocr: str) -> None:
    """Parse report FILES (text, Markdown, HTML, DOCX, DOC/WPS, PDF, scans and page images) and check them.

    A file holding several reports (a compiled volume, a crawler dump of a column) gives one
    report per part, each with the lines or pages it came from."""
    from ogi.cli.view import print_report

    # Piped output gets a width that fits table 三, not rich's default of 80 columns.
    console = Console(width=None if sys.stdout.isatty() else 132)
    results = []
    failed = 0
    for path in files:
        try:
            reports = parse_all(path, ParseOptions(ocr=ocr))  # type: ignore[arg-type]
        except OgiError as e:
            failed += 1
            click.echo(f"ogi: {e}", err=True)
            continue
        except Exception as e:  # a bug must not hide the other files' results
            failed += 1
            click.echo(f"ogi: {path}: internal error ({type(e).__name__}: {e}); please report it", err=True)
            continue
        for failed_part in reports[0].meta.get("parts_failed", []):
            click.echo(f"ogi: {path}: {failed_part}", err=True)
        for report in reports:
            if as_json:
                results.append(report.summary())
            else:
                print_report(report, console)
    if as_json and results:
        out = results[0] if len(files) == 1 and len(results) == 1 else results
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    if failed:
        sys.exit(1)


register_store_commands(main)
register_collect_command(main)
register_overview_commands(main)
register_render_commands(main)
register_scale_commands(main)
main.add_command(serve_command)


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the parsed report model."""
    from ogi.model import Report

    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=1))
