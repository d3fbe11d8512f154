"""``ogi collect``: gather reports from portals into a folder (and the store, with --ingest)."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import click

from ogi.cli.store_commands import db_option
from ogi.errors import OgiError

_EXAMPLES = 5


def _site_urls(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "url" not in [f.strip().lower() for f in reader.fieldnames]:
            raise click.BadParameter(f"{path}: needs a 'url' column (one listing page or site root a row)")
        column = next(f for f in reader.fieldnames if f.strip().lower() == "url")
        return [row[column].strip() for row in reader if (row.get(column) or "").strip()]


def _print_outcomes(title: str, items: list[tuple[str, str]]) -> None:
    """Outcomes grouped by reason (the part before any 「title」), a few URLs each."""
    if not items:
        return
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for url, reason in items:
        groups[reason.split("「")[0].split(" (on ")[0].rstrip(": ")].append((url, reason))
    click.echo(f"{title} ({len(items)}):", err=True)
    for reason, members in sorted(groups.items(), key=lambda g: -len(g[1])):
        click.echo(f"  {reason}: {len(members)}", err=True)
        for url, full in members[:_EXAMPLES]:
            click.echo(f"    {url}" + (f"  {full[len(reason):].lstrip(': ')}" if full != reason else ""), err=True)
        if len(members) > _EXAMPLES:
            click.echo(f"    … and {len(members) - _EXAMPLES} more (all in the manifest)", err=True)


@click.command("collect")
@click.argument("urls", nargs=-1)
@click.option("--sites", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV with a 'url' column: one portal (年报 listing or site root) a row.")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the files and manifest.jsonl; a folder collected into before is continued.")
@click.option("--ingest", "do_ingest", is_flag=True, help="Then parse the collected reports into the store (--db).")
@db_option
@click.option("--rate", default=1.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Requests per second to any one host (robots.txt may ask for fewer).")
@click.option("--contact", help="Your e-mail or web address, sent in the User-Agent so a portal can reach you.")
@click.option("--max-pages", default=50, show_default=True, type=click.IntRange(min=1), help="Listing pages per site.")
@click.option("--max-size", default=200, show_default=True, type=click.IntRange(min=1),
              help="Largest file downloaded, in MiB.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds to wait for a server.")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(min=0),
              help="Tries again after a 5xx answer or a timeout, waiting longer each time.")
@click.option("--recheck", is_flag=True,
              help="Ask again, with conditional requests, for entries collected or refused before.")
@click.option("--workers", type=click.IntRange(min=1), help="Parsing processes for --ingest (default: one per CPU).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def collect_command(
    urls: tuple[str, ...], sites: Path | None, out: Path, do_ingest: bool, db: Path, rate: float,
    contact: str | None, max_pages: int, max_size: int, timeout: float, retries: int, recheck: bool,
    workers: int | None, quiet: bool,
) -> None:  # fmt: skip
    """Collect annual reports from portals' 年报 listings (URLS: listing pages or site roots).

    Follows the listing's pages (static pagers, TRS scripts and list APIs), fetches each report
    entry's page and its PDF/DOC/DOCX/WPS attachments into OUT, and writes OUT/manifest.jsonl.
    Obeys robots.txt and --rate; run it again to continue or to fetch only what is new.
    Exits 1 when an entry failed; each is listed with its reason."""
    from ogi import __version__
    from ogi.collect import Fetcher, Politeness, collect, user_agent

    targets = [*urls, *(_site_urls(sites) if sites else [])]
    if not targets:
        raise click.UsageError("give a listing URL or --sites FILE.csv")
    if not contact:
        click.echo("ogi: no --contact given: portals cannot tell who to ask about this crawler", err=True)
    policy = Politeness(user_agent(__version__, contact), rate=rate, timeout=timeout, retries=retries,
                        max_bytes=max_size * 2**20)  # fmt: skip
    with Fetcher(policy) as fetcher:
        r = collect(targets, out, fetcher, max_pages=max_pages, recheck=recheck, progress=not quiet)
    click.echo(
        f"{r.sites} site{'s' * (r.sites != 1)}, {r.listing_pages} listing pages, {r.entries} entries: "
        f"{r.fetched} fetched ({r.files} files, {r.bytes / 2**20:.1f} MiB), {r.unchanged} unchanged, "
        f"{r.known} collected before, {len(r.skipped)} skipped, {len(r.failed)} failed ({r.requests} requests)",
        err=True,
    )
    _print_outcomes("skipped", r.skipped)
    _print_outcomes("failed", r.failed)
    if do_ingest:
        from ogi.collect.ingest import ingest_collected

        try:
            done = ingest_collected(out, db, workers=workers, progress=not quiet)
        except OgiError as e:
            click.echo(f"ogi: {e}", err=True)
            sys.exit(1)
        i = done.ingest
        click.echo(f"ingest into {db}: {i.added} added, {i.unchanged} unchanged, {len(i.failed)} failed; "
                   f"{done.sources} new source URLs", err=True)  # fmt: skip
        if done.not_readable:
            click.echo(f"  {done.not_readable} report files kept in {out} but not read (scans need OCR: "
                       "pip install 'ogi[ocr]'; or a format ogi does not read)", err=True)  # fmt: skip
        for path, reason in i.failed:
            click.echo(f"ogi: {path}: {reason}", err=True)
    if r.failed:
        sys.exit(1)


def register(main: click.Group) -> None:
    if "collect" not in main.commands:
        main.add_command(collect_command)
