"""Collected reports into the corpus store, each with the URL it came from.

The report files of a collection folder (the manifest's files marked ``report``, in a format ogi
reads) are ingested as any files are (:func:`ogi.batch.ingest`: known bytes skipped, failures
recorded), then their sources are recorded in the store's ``sources`` table. Both steps are
idempotent, so ingesting a folder again after another collection run adds only what is new.

A scanned report is an article of page images, read by OCR (the ``ocr`` extra): the images of one
entry are one report, so they are put together, in the article's order, as the pages of one
multi-page TIFF (``scan.tif`` in the entry's folder, lossless, the same bytes every time), which is
ingested with the article page as its source. Without the ``ocr`` extra scans are kept, not read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path, PurePosixPath

from ogi.batch.ingest import IngestResult, ingest
from ogi.collect.manifest import FileRecord, Manifest
from ogi.errors import InputError
from ogi.readers import READERS
from ogi.readers.image import frames as image_frames
from ogi.store.db import Store, sha256_of
from ogi.store.sources import Source, record_sources


@dataclass(frozen=True, slots=True)
class CollectedIngest:
    ingest: IngestResult
    sources: int
    """New source rows recorded."""
    not_readable: int
    """Report files kept but not read: in a format no reader takes, or scans without the ``ocr`` extra."""


def _source(record: FileRecord) -> Source:
    assert record.sha256 is not None
    listed = date.fromisoformat(record.date) if record.date else None
    fetched = datetime.fromisoformat(record.fetched_at).replace(tzinfo=None) if record.fetched_at else None
    return Source(record.sha256, record.url, record.entry, record.listing, record.title, listed, fetched)


def report_files(out: Path) -> tuple[list[FileRecord], int]:
    """The collected report files ogi can read (a scan's page images put together as one), and
    how many more it cannot."""
    from ogi.readers.ocr import missing

    manifest = Manifest(out)
    reports = [r for r in manifest.latest_files() if r.report and r.role != "listing" and manifest.file(r.url)]
    formats = set(READERS) - ({"image"} if missing() else set())
    readable = [r for r in reports if r.format in formats and r.sha256]
    images: dict[str, list[FileRecord]] = defaultdict(list)
    for r in readable:
        if r.format == "image" and r.entry and r.path:
            images[r.entry].append(r)
    out_records = [r for r in readable if r.format != "image" or r.entry not in images]
    unreadable = len(reports) - len(readable)
    for entry, pages in images.items():
        order = manifest.entries[entry].files if entry in manifest.entries else []
        pages.sort(key=lambda r: order.index(r.path) if r.path in order else len(order))
        try:
            out_records.append(pages[0] if len(pages) == 1 else _one_scan(out, entry, pages))
        except InputError:  # a page that is no image (an error page saved as .jpg), or too large
            unreadable += len(pages)
    return out_records, unreadable


def _one_scan(out: Path, entry: str, pages: list[FileRecord]) -> FileRecord:
    """The page images of one scanned report as one multi-page TIFF beside them, recorded as the
    article's file. Each image is read as the image reader reads it (size limits, upright, on white)."""
    frames = [page for r in pages for page, _ in image_frames((out / str(r.path)).read_bytes(), str(r.path))]
    buf = BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_adobe_deflate")
    data = buf.getvalue()
    path = PurePosixPath(str(pages[0].path)).with_name("scan.tif")
    target = out / path
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    first = pages[0]
    fetched = max((r.fetched_at for r in pages if r.fetched_at), default=None)
    return FileRecord(entry, "attachment", report=True, entry=entry, listing=first.listing, title=first.title,
                      date=first.date, year=first.year, fetched_at=fetched, sha256=sha256_of(data), format="image",
                      path=str(path))  # fmt: skip


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

