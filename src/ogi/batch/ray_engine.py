"""Ingest on Ray: the same per-file parse as the process pool, in batches of files per task.

The driver lists names and sizes only (:mod:`ogi.batch.sources`), cuts them into batches and
keeps at most two tasks per CPU of the cluster in flight, so the object store holds a bounded
number of results. Each task (:func:`ogi.batch.worker.run_batch`) reads its files, skips hashes
already done, parses each within its limits and then

- **with a dataset** (``--out``): writes its rows as one part of the Parquet dataset and returns
  a few bytes per file; nothing heavy passes through the driver;
- **with a store** (``--db``): returns the rows and bytes, which the driver records exactly as
  the process pool's (:class:`~ogi.batch.recorder.StoreRecorder`).

A worker killed mid-task costs a retry (Ray reruns the task, which rewrites the same part); a
batch whose retries all die is split into single files, so only the file that kills its worker
is lost, reported, and left for the next run.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ogi.batch.limits import Limits
from ogi.batch.recorder import BATCH_FILES, IngestResult, StoreRecorder, progress_bar
from ogi.batch.sources import list_sources, plan
from ogi.batch.worker import Batch, FileResult, Hashes, run_batch
from ogi.errors import OgiError
from ogi.readers.options import ParseOptions
from ogi.store.db import Store
from ogi.store.location import INSTALL_HINT, is_url
from ogi.store.rows import Entry

TASK_RETRIES = 3
LOCAL_OBJECT_STORE_BYTES = 512 * 2**20
_TASKS_PER_CPU = 2  # one running, one queued: workers never wait for the driver


@contextmanager
def ray_runtime(address: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """Ray, connected: to the cluster at ``address``, or to a local runtime of ``workers`` CPUs
    started here and stopped on exit. A runtime the caller started already is used as it is."""
    if address is None and "ray" not in sys.modules:
        # A laptop's runtime: reachable from this machine only, and reporting nothing home.
        # Both are read when Ray is imported.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as e:
        raise OgiError(f"--engine ray needs Ray: {INSTALL_HINT}") from e
    if ray.is_initialized():
        yield ray
        return
    if address is None:
        ray.init(num_cpus=workers or os.cpu_count() or 1, object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                 include_dashboard=False, log_to_driver=False, logging_level="warning")  # fmt: skip
    else:
        ray.init(address=address, log_to_driver=False, logging_level="warning")
    try:
        yield ray
    finally:
        ray.shutdown()


def _drive(ray: Any, batches: list[Batch], skip: Hashes, out: str | None, limits: Limits, options: ParseOptions,
           on_result: Callable[[FileResult], None]) -> None:  # fmt: skip
    """Run every batch, at most two per CPU in flight; each file's result to ``on_result``."""
    from ray.exceptions import RayTaskError

    task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=[OSError])(run_batch)
    skip_ref = ray.put(skip)
    limit = max(2, int(ray.cluster_resources().get("CPU", 1)) * _TASKS_PER_CPU)
    queue = deque(batches)
    pending: dict[Any, Batch] = {}
    while queue or pending:
        while queue and len(pending) < limit:
            batch = queue.popleft()
            pending[task.remote(batch, skip_ref, out, limits, options)] = batch
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
        for ref in ready:
            batch = pending.pop(ref)
            try:
                results = ray.get(ref)
            except RayTaskError as e:
                raise OgiError(f"a batch failed ({e.cause!r}); what was done is kept: run the same command "
                               "again to finish") from e  # fmt: skip
            except ray.exceptions.RayError as e:
                if len(batch.files) > 1:  # find the file that kills its worker: each alone
                    queue.extendleft(Batch(f"{batch.part}.{i}", (f,)) for i, f in enumerate(batch.files))
                    continue
                (name, _), reason = batch.files[0], type(e).__name__
                results = [FileResult(name, None, "lost", f"the parsing process died on this file ({reason})")]
            for result in results:
                on_result(result)


def ingest_with_ray(
    paths: Iterable[str | Path],
    db: str | Path | Store,
    *,
    workers: int | None = None,
    address: str | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    batch: int = BATCH_FILES,
    limits: Limits | None = None,
    options: ParseOptions | None = None,
) -> IngestResult:
    """:func:`ogi.batch.ingest` on Ray: the same store, the same rows, parsed on the cluster."""
    limits = limits or Limits()
    options = options or ParseOptions()
    store = db if isinstance(db, Store) else Store.open(db)
    try:
        with progress_bar("ingest", progress, unit="pages") as bar, ray_runtime(address, workers) as ray:
            recorder = StoreRecorder(store, bar, retry_failed=retry_failed, batch=batch)
            sources = list_sources(paths, store.own_paths())
            recorder.expect(len(sources))

            def record(r: FileResult) -> None:
                if r.sha256 is None:
                    recorder.done_without_parse(r.name, r.error or "failed")
                elif recorder.skip(r.name, r.sha256):
                    pass  # stored already, or the same bytes earlier in this run
                elif r.entry is None:
                    recorder.done_without_parse(r.name, "")
                else:
                    entry: Entry = r.entry
                    recorder.weigh(r.name, r.pages)
                    recorder.collect(r.name, r.sha256, entry.data, entry.rows or entry.error or "failed")
                if recorder.due():
                    recorder.flush()

            from ogi.store.dataset import new_run_id

            _drive(ray, plan(sources, new_run_id(), batch), Hashes(recorder.to_skip()), None, limits, options, record)
            return recorder.finish()
    finally:
        if store is not db:
            store.close()


def ingest_to_dataset(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    address: str | None = None,
    progress: bool = True,
    batch: int = BATCH_FILES,
    limits: Limits | None = None,
    options: ParseOptions | None = None,
) -> IngestResult:
    """Parse every file under ``paths`` on Ray into the Parquet dataset ``out`` (a folder or an
    object-store URL), the workers writing it. Files whose hash the dataset holds are skipped, so
    running again after an interruption does only what is missing."""
    from ogi.store.dataset import known_hashes, new_run_id, remove_orphans
    from ogi.store.location import locate

    limits = limits or Limits()
    options = options or ParseOptions()
    where = locate(out)
    out_name = str(out) if is_url(out) else where.root
    remove_orphans(where)
    skip = Hashes(known_hashes(where))
    result = IngestResult()
    with progress_bar("ingest", progress, unit="pages") as bar, ray_runtime(address, workers) as ray:
        sources = list_sources(paths, [] if is_url(out) else [Path(where.root)])
        total = len(sources)
        task = bar.add_task("", total=total)

        def tally(r: FileResult) -> None:
            nonlocal total
            total += r.pages - 1
            if r.status == "parsed":
                result.added += 1
            elif r.status == "known":
                result.unchanged += 1
            else:
                result.failed.append((r.name, r.error or "failed"))
            bar.advance(task, r.pages)
            bar.update(task, total=total, description=f"{result.added} added, {result.unchanged} unchanged, "
                                         f"{len(result.failed)} failed")  # fmt: skip

        _drive(ray, plan(sources, new_run_id(), batch), skip, out_name, limits, options, tally)
    result.failed.sort()
    return result
