"""``ogi load``: a Parquet dataset written by a distributed run, into the embedded store.

Each committed part becomes one transaction through the same recording as an ingest
(:class:`~ogi.batch.recorder.StoreRecorder`): the store assigns report ids, versions and units,
keeps every file's bytes, and skips hashes it holds, so loading again, or loading a dataset that
has grown since, adds only what is new.
"""

from __future__ import annotations

from pathlib import Path

from ogi.batch.recorder import IngestResult, StoreRecorder, progress_bar
from ogi.errors import StoreError
from ogi.store.dataset import open_dataset, read_part
from ogi.store.db import Store


def load_dataset(dataset: str | Path, db: str | Path | Store, *, progress: bool = True) -> IngestResult:
    """Load every committed part of ``dataset`` (a folder or URL) into the store ``db``, oldest
    part first, so that a file that changed between runs gets its versions in order."""
    where, committed = open_dataset(str(dataset))
    if not committed:
        raise StoreError(f"{dataset}: no dataset here (no committed part under documents/)")
    store = db if isinstance(db, Store) else Store.open(db)
    try:
        with progress_bar("load", progress) as bar:
            # A hash stored as failed takes the dataset's outcome: a later ogi may have parsed it.
            recorder = StoreRecorder(store, bar, retry_failed=True)
            parts = bar.add_task("parts", total=len(committed))
            for tables in committed.values():
                entries = read_part(where, tables)
                for e in entries:
                    if not recorder.skip(e.path, e.sha256):
                        recorder.collect(e.path, e.sha256, e.data, e.rows or e.error or "failed")
                recorder.flush()
                bar.advance(parts)
            return recorder.finish()
    finally:
        if store is not db:
            store.close()
