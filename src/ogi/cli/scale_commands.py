"""The CLI at scale: ``ogi ingest``'s engine, dataset and per-file limit options, ``ogi load``,
and ``ogi query --dataset``. Registered on the ``ogi`` group by :func:`register`; the options are
decorators the store commands wear."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ogi.cli.ocr import ocr_option
from ogi.errors import OgiError

F = TypeVar("F", bound=Callable[..., Any])
# ogi.batch.limits's defaults, named here so that `ogi parse` does not import the batch machinery
# (tests/test_scale.py holds the two equal).
TIMEOUT_S = 300.0
MAX_MEMORY_MB = 4096


class PathOrUrl(click.ParamType):
    """An existing local path, or an object-store URL (checked when it is read)."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | Path:
        from ogi.store.location import is_url

        if isinstance(value, str) and is_url(value):
            return value
        return click.Path(exists=True, path_type=Path).convert(value, param, ctx)  # type: ignore[no-any-return]


PATH_OR_URL = PathOrUrl()


def ingest_options(command: F) -> F:
    """``--engine``, ``--address``, ``--out``, ``--timeout-s``, ``--max-memory-mb``, ``--ocr``."""
    options = [
        click.option("--engine", type=click.Choice(["process", "ray"]), default=None,
                     help="Parse in a local process pool (default) or on Ray (pip install 'ogi[ray]'); "
                     "ray is implied by --out."),
        click.option("--address", help="Ray cluster to join (e.g. ray://head:10001 or auto); "
                     "without it --engine ray starts a local runtime of --workers CPUs."),
        click.option("--out", "out", metavar="DIR|URL",
                     help="Write a Parquet dataset here (a folder or s3://…) instead of the store; "
                     "the Ray workers write it. Load it with `ogi load`, query it with `ogi query --dataset`."),
        click.option("--timeout-s", type=click.FloatRange(min=0),
                     help=f"Seconds one file may take; a file past it is recorded as failed (default {TIMEOUT_S:g}; "
                     "0: no limit)."),
        click.option("--max-memory-mb", type=click.IntRange(min=0),
                     help=f"Memory one file's parse may add, in MB; past it the file is recorded as failed (default "
                     f"{MAX_MEMORY_MB}; 0: no limit)."),
        ocr_option,
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def run_ingest(paths: tuple[str | Path, ...], db: Path, *, workers: int | None, retry_failed: bool, quiet: bool,
               batch: int, engine: str | None, address: str | None, out: str | None, timeout_s: float | None,
               max_memory_mb: int | None, ocr: str) -> Any:  # fmt: skip
    """Call the ingest the options ask for; its :class:`~ogi.batch.IngestResult`."""
    from ogi.batch.limits import Limits
    from ogi.readers.options import ParseOptions
    from ogi.store.location import is_url

    timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
    max_memory_mb = MAX_MEMORY_MB if max_memory_mb is None else max_memory_mb
    limits = Limits(timeout_s or None, max_memory_mb or None)
    parse_options = ParseOptions(ocr=ocr)  # type: ignore[arg-type]
    if out is not None or address is not None:
        engine = engine or "ray"
    if engine != "ray" and (urls := [p for p in paths if is_url(p)]):
        raise click.UsageError(f"{urls[0]}: URLs are read by --engine ray")
    if out is not None:
        if engine != "ray":
            raise click.UsageError("--out is written by --engine ray")
        from ogi.batch.ray_engine import ingest_to_dataset

        return ingest_to_dataset(paths, out, workers=workers, address=address, progress=not quiet, batch=batch,
                                 limits=limits, options=parse_options)  # fmt: skip
    from ogi.batch import ingest

    return ingest(paths, db, workers=workers, progress=not quiet, retry_failed=retry_failed, batch=batch,
                  limits=limits, engine=engine or "process", address=address,  # type: ignore[arg-type]
                  options=parse_options)  # fmt: skip


dataset_option = click.option(
    "--dataset", metavar="DIR|URL", help="Query this Parquet dataset (written by `ogi ingest --out`) where it lies."
)


def query_dataset(dataset: str, sql: str) -> Any:
    from ogi.store.dataset import query_dataset as run

    return run(dataset, sql)


@click.command("load")
@click.argument("dataset")
@click.option("--db", default="ogi.duckdb", show_default=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The store to load into (created when absent).")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
def load_command(dataset: str, db: Path, quiet: bool) -> None:
    """Load a Parquet DATASET (a folder or URL written by `ogi ingest --out`) into the store.

    Only what the store lacks is added; loading again changes nothing. Exits 1 when the dataset
    records files that failed, each listed with its reason."""
    from ogi.batch.load import load_dataset

    try:
        r = load_dataset(dataset, db, progress=not quiet)
    except OgiError as e:
        click.echo(f"ogi: {e}", err=True)
        sys.exit(1)
    click.echo(f"{r.added} added, {r.unchanged} unchanged, {len(r.failed)} failed", err=True)
    for path, reason in r.failed:
        click.echo(f"ogi: {path}: {reason}", err=True)
    if r.failed:
        sys.exit(1)


def register(main: click.Group) -> None:
    if "load" not in main.commands:
        main.add_command(load_command)
