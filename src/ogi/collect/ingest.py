"""Collected reports into the corpus store, each with the URL it came from.

The report files of a collection folder (the manifest's files marked ``report``, in a format ogi
reads) are ingested as any files are (:func:`ogi.batch.ingest`: known bytes skipped, failures
recorded), then their sources are recorded in the store's ``sources`` table. Both steps are
idempotent, so ingesting a folder again after another collection run adds only what is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ogi.batch.ingest import IngestResult, ingest
from ogi.collect.manifest import FileRecord, Manifest
from ogi.readers import READERS
from ogi.store.db import Store
from ogi.store.sources import Source, record_sources


@dataclass(frozen=True, slots=True)
class CollectedIngest:
    ingest: IngestResult
    sources: int
    """New source rows recorded."""
    not_readable: int
    """Report files kept but in a format no reader takes yet (scanned images)."""


def _source(record: FileRecord) -> Source:
    assert record.sha256 is not None
    listed = date.fromisoformat(record.date) if record.date else None
    fetched = datetime.fromisoformat(record.fetched_at).replace(tzinfo=None) if record.fetched_at else None
    return Source(record.sha256, record.url, record.entry, record.listing, record.title, listed, fetched)


def report_files(out: Path) -> tuple[list[FileRecord], int]:
    """The collected report files ogi can read, and how many more it cannot (yet)."""
    manifest = Manifest(out)
    reports = [r for r in manifest.latest_files() if r.report and r.role != "listing" and manifest.file(r.url)]
    readable = [r for r in reports if r.format in READERS and r.sha256]
    return readable, len(reports) - len(readable)


def ingest_collected(
    out: str | Path, db: str | Path, *, workers: int | None = None, progress: bool = True
) -> CollectedIngest:
    """Ingest the reports collected in ``out`` into the store ``db``, with their sources."""
    folder = Path(out)
    records, unreadable = report_files(folder)
    with Store.open(db) as store:
        result = ingest([folder / r.path for r in records if r.path], store, workers=workers, progress=progress)
        added = record_sources(store, [_source(r) for r in records])
    return CollectedIngest(result, added, unreadable)

