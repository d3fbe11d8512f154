"""Ingest folders of reports into the store: hash, skip what is known, parse in parallel, write.

Files are hashed in the main process before anything is parsed, so an unchanged file costs one
read. Parsing runs in worker processes calling the pure :func:`ogi.parse_bytes` (plus flattening
into rows); only the main process writes, in small batches of one transaction each, so a killed
run loses at most the batch in flight and a re-run picks it up. A file that cannot be parsed is
recorded with its reason and never stops the batch; a worker that dies (a reader crashing on a
file) is replaced and the files it held are retried one by one.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ogi.errors import OgiError
from ogi.store.db import Entry, Store, sha256_of
from ogi.store.rows import ReportRows, parse_file, warm_up

BATCH_FILES = 64
BATCH_SECONDS = 1.0
# Below this many files a process pool costs more to start than it saves.
_POOL_MIN_FILES = 8
# A file can kill a worker; several in a row dying alone means the workers cannot run at all.
_DEAD_IN_A_ROW = 3


@dataclass
class IngestResult:
    added: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    new_versions: int = 0
    """Of ``added``: reports that replaced an older version of the same file."""


def walk(paths: Iterable[str | Path], skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Files under ``paths``, sorted, recursively; hidden files and folders and ``skip`` left out."""
    skipped = {Path(p).resolve() for p in skip}
    for start in paths:
        p = Path(start).resolve()
        if p in skipped:
            continue
        if p.is_file():
            yield p
            continue
        for folder, dirs, files in os.walk(p):
            base = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and base / d not in skipped)
            for name in sorted(files):
                if not name.startswith(".") and base / name not in skipped:
                    yield base / name


class _Inline(Executor):
    """Runs each call at once in this process: for small batches and ``workers=1``."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _pool(workers: int) -> Executor:
    # forkserver, not fork: the parent holds DuckDB's threads, and forking a threaded process can
    # deadlock the child. The preload makes each worker start with ogi imported and warm.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["ogi.batch.preload"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _forked_pool(workers: int) -> Executor | None:
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform != "linux":
        return None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    for _ in range(workers):
        pool.submit(warm_up)  # fork them now, while this process has no threads
    return pool


def _isolated(job: tuple[Path, str, bytes]) -> ReportRows | str | None:
    """Parse one file in a fresh process of its own, after a worker died holding it; None when
    that one dies too."""
    path, _, data = job
    with _pool(1) as pool:
        try:
            return pool.submit(parse_file, data, str(path)).result()
        except BrokenProcessPool:
            return None


def ingest(
    paths: Iterable[str | Path],
    db: str | Path | Store,
    *,
    workers: int | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    batch: int = BATCH_FILES,
) -> IngestResult:
    """Ingest every file under ``paths`` into the store ``db`` (a path or an open :class:`Store`).

    A file whose bytes are stored already is skipped: unchanged if it parsed before, failed again
    (with its stored reason) if it did not, unless ``retry_failed``. Results are written ``batch``
    files to a transaction (or every second): a smaller batch loses less to a crash, a larger one
    writes faster.
    """
    workers = workers or os.cpu_count() or 1
    # Workers forked before the database opens start in milliseconds and share this process's
    # imports; once DuckDB runs its threads, only the fork server is safe.
    early = _forked_pool(workers) if workers > 1 and not isinstance(db, Store) else None
    try:
        store = db if isinstance(db, Store) else Store.open(db)
    except BaseException:
        if early is not None:  # the forked workers must not outlive a store that failed to open
            early.shutdown(cancel_futures=True)
        raise
    try:
        return _Run(store, workers, progress, retry_failed, batch, early).run(paths)
    finally:
        if store is not db:
            store.close()


class _Run:
    def __init__(
        self, store: Store, workers: int, progress: bool, retry_failed: bool, batch: int, early: Executor | None
    ) -> None:
        self.store = store
        self.early = early
        self.batch = max(1, batch)
        self.workers = workers
        self.result = IngestResult()
        self.known = store.known()
        self.retry_failed = retry_failed
        self.seen: set[str] = set()
        self.touched: set[str] = set()
        self.buffer: list[Entry] = []
        self.flushed_at = time.monotonic()
        self.bar = Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            disable=not progress,
        )

    def run(self, paths: Iterable[str | Path]) -> IngestResult:
        files = list(walk(paths, self.store.own_paths()))
        use_pool = self.workers > 1 and len(files) >= _POOL_MIN_FILES
        if not use_pool and self.early is not None:
            self.early.shutdown(cancel_futures=True)
        executor = (self.early or _pool(self.workers)) if use_pool else _Inline()
        with self.bar, executor:
            self.task = self.bar.add_task("", total=len(files))
            self._drive(executor, iter(files))
            self._flush()
        self.result.failed.sort()
        if self.touched:
            # New reports change their publishers' year-to-year pairs; recheck just those.
            from ogi.store.crossyear import check_cross_year

            check_cross_year(self.store, agency_ids=self.touched)
        return self.result

    def _drive(self, executor: Executor, files: Iterator[Path]) -> None:
        pending: dict[Future, tuple[Path, str, bytes]] = {}
        # Enough queued that workers stay busy while this process writes a batch.
        limit = max(32, self.workers * 8)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < limit:
                path = next(files, None)
                if path is None:
                    exhausted = True
                elif job := self._job(path):
                    pending[executor.submit(parse_file, job[2], str(path))] = job
            done, _ = wait(pending, timeout=BATCH_SECONDS, return_when=FIRST_COMPLETED)
            crashed: list[tuple[Path, str, bytes]] = []
            for future in done:
                job = pending.pop(future)
                try:
                    self._collect(job, future.result())
                except BrokenProcessPool:
                    crashed.append(job)
            if crashed:
                # Every job left in the broken pool fails with it; retry each alone to find the culprit.
                crashed += pending.values()
                pending.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = _pool(self.workers)
                dead = 0
                for job in crashed:
                    outcome = _isolated(job)
                    dead = dead + 1 if outcome is None else 0
                    if dead == _DEAD_IN_A_ROW:
                        self._flush()
                        raise OgiError(
                            f"parsing processes die on every file (last: {job[0]}): not a bad file but this "
                            "machine (memory?) or the way ogi was started; the files written so far are kept. "
                            "Try again with --workers 1."
                        )
                    self._collect(job, outcome)
            if len(self.buffer) >= self.batch or time.monotonic() - self.flushed_at >= BATCH_SECONDS:
                self._flush()
        executor.shutdown()

    def _job(self, path: Path) -> tuple[Path, str, bytes] | None:
        """Read and hash one file; None when there is nothing to parse."""
        try:
            data = path.read_bytes()
        except OSError as e:
            self._done_without_parse(path, failure=e.strerror or str(e))
            return None
        sha = sha256_of(data)
        stored = self.known.get(sha)
        if sha in self.seen or (stored and (stored[0] == "ok" or not self.retry_failed)):
            failure = stored[1] if stored and stored[0] == "failed" else None
            self._done_without_parse(path, failure=failure or "")
            return None
        self.seen.add(sha)
        return path, sha, data

    def _done_without_parse(self, path: Path, failure: str) -> None:
        if failure:
            self.result.failed.append((str(path), failure))
        else:
            self.result.unchanged += 1
        self.bar.advance(self.task)

    def _collect(self, job: tuple[Path, str, bytes], outcome: ReportRows | str | None) -> None:
        path, sha, data = job
        if outcome is None:
            # Not stored as a failed document: a dying process may be the machine (memory), not the
            # file, so the next run tries it again.
            self.result.failed.append((str(path), "the parsing process died on this file (crash or out of memory)"))
        elif isinstance(outcome, str):
            self.buffer.append(Entry(str(path), sha, data, None, outcome))
        else:
            self.buffer.append(Entry(str(path), sha, data, outcome))
        self.bar.advance(self.task)

    def _flush(self) -> None:
        if self.buffer:
            for entry, added in zip(self.buffer, self.store.add_many(self.buffer), strict=True):
                if added.status == "added":
                    self.result.added += 1
                    if entry.rows and entry.rows.report["agency_id"]:
                        self.touched.add(entry.rows.report["agency_id"])
                    self.result.new_versions += (added.version or 1) > 1
                elif added.status == "failed":
                    self.result.failed.append((entry.path, entry.error or "failed"))
                else:
                    self.result.unchanged += 1
            self.buffer.clear()
        r = self.result
        self.bar.update(self.task, description=f"{r.added} added, {r.unchanged} unchanged, {len(r.failed)} failed")
        self.flushed_at = time.monotonic()
