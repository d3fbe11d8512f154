"""Ingest folders of reports into the store: hash, skip what is known, parse in parallel, write.

Files are hashed in the main process before anything is parsed, so an unchanged file costs one
read. Parsing runs in worker processes calling the pure :func:`ogi.parse_all_bytes` (plus flattening
into rows; a file holding several reports gives a row per report, with its part and line or page
range); only the main process writes, in small batches of one transaction each, so a killed
run loses at most the batch in flight and a re-run picks it up. A file that cannot be parsed is
recorded with its reason and never stops the batch, and so is one past its time or memory limit
(:mod:`ogi.batch.limits`); a worker that dies (a reader crashing on a file) is replaced and the
files it held are retried one by one. The progress bar counts pages: a scanned report's pages take
seconds each to OCR (each worker loads its own OCR model once and runs it on one thread, since the
workers already fill the cores).

``engine="ray"`` parses on a Ray cluster instead (:mod:`ogi.batch.ray_engine`); the recording is
the same (:mod:`ogi.batch.recorder`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ogi.batch.limits import Died, Limits, died_outcome, parse_limited, prepare_worker
from ogi.batch.recorder import BATCH_FILES, BATCH_SECONDS, IngestResult, Outcome, StoreRecorder, progress_bar
from ogi.errors import OgiError
from ogi.readers import count_pages
from ogi.readers.options import ParseOptions
from ogi.store.db import Store, sha256_of
from ogi.store.rows import warm_up

Engine = Literal["process", "ray"]
# Below this many files a process pool costs more to start than it saves.
_POOL_MIN_FILES = 8
# A file can kill a worker; several in a row dying alone means the workers cannot run at all.
_DEAD_IN_A_ROW = 3


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
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=prepare_worker)


def _forked_pool(workers: int) -> Executor | None:
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform != "linux":
        return None
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=prepare_worker)
    for _ in range(workers):
        pool.submit(warm_up)  # fork them now, while this process has no threads
    return pool


def _parse_into(
    pipe: multiprocessing.connection.Connection, data: bytes, name: str, limits: Limits, options: ParseOptions | None
) -> None:
    prepare_worker()
    pipe.send(parse_limited(data, name, limits, options=options))


def parse_isolated(data: bytes, name: str, limits: Limits, options: ParseOptions | None = None) -> Outcome:
    """Parse one file in a fresh process of its own (after a worker died holding it): its outcome,
    with the reason read from the exit status when this one dies too."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["ogi.batch.preload"])
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_parse_into, args=(send, data, name, limits, options), daemon=True)
    process.start()
    send.close()
    try:
        outcome: Outcome = receive.recv()
    except EOFError:
        outcome = Died("")
    process.join()
    receive.close()
    return died_outcome(process.exitcode, limits) if isinstance(outcome, Died) else outcome


def ingest(
    paths: Iterable[str | Path],
    db: str | Path | Store,
    *,
    workers: int | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    batch: int = BATCH_FILES,
    limits: Limits | None = None,
    engine: Engine = "process",
    address: str | None = None,
    options: ParseOptions | None = None,
) -> IngestResult:
    """Ingest every file under ``paths`` into the store ``db`` (a path or an open :class:`Store`).

    A file whose bytes are stored already is skipped: unchanged if it parsed before, failed again
    (with its stored reason) if it did not, unless ``retry_failed``. Results are written ``batch``
    files to a transaction (or every second): a smaller batch loses less to a crash, a larger one
    writes faster. Each file is held to ``limits`` (default :class:`Limits`: 300 s, 4096 MB).

    ``engine="ray"`` parses on Ray (the cluster at ``address``, else a local runtime of
    ``workers`` CPUs), ``batch`` files to a task; ``paths`` may then be object-store URLs.
    ``options`` say how to read the files (OCR).
    """
    limits = limits or Limits()
    options = options or ParseOptions()
    if engine == "ray":
        from ogi.batch.ray_engine import ingest_with_ray

        return ingest_with_ray(
            paths, db, workers=workers, address=address, progress=progress, retry_failed=retry_failed,
            batch=batch, limits=limits, options=options,
        )  # fmt: skip
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
        with progress_bar("ingest", progress, unit="pages") as bar:
            recorder = StoreRecorder(store, bar, retry_failed=retry_failed, batch=batch)
            _Run(recorder, workers, limits, options, early).run(paths)
            return recorder.finish()
    finally:
        if store is not db:
            store.close()


Job = tuple[Path, str, bytes]


class _Run:
    def __init__(
        self, recorder: StoreRecorder, workers: int, limits: Limits, options: ParseOptions, early: Executor | None
    ) -> None:
        self.recorder = recorder
        self.early = early
        self.workers = workers
        self.limits = limits
        self.options = options
        self.hard_stop = True

    def run(self, paths: Iterable[str | Path]) -> None:
        files = list(walk(paths, self.recorder.store.own_paths()))
        self.recorder.expect(len(files))
        use_pool = self.workers > 1 and len(files) >= _POOL_MIN_FILES
        if not use_pool and self.early is not None:
            self.early.shutdown(cancel_futures=True)
        executor = (self.early or _pool(self.workers)) if use_pool else _Inline()
        if use_pool:
            self.options = replace(self.options, ocr_threads=1)
        # In this process (no pool) the native-code backstop would end ogi itself: time is cut
        # at the Python level only.
        self.hard_stop = use_pool
        with executor:
            self._drive(executor, iter(files))

    def _drive(self, executor: Executor, files: Iterator[Path]) -> None:
        pending: dict[Future, Job] = {}
        # Enough queued that workers stay busy while this process writes a batch.
        limit = max(32, self.workers * 8)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < limit:
                path = next(files, None)
                if path is None:
                    exhausted = True
                elif job := self._job(path):
                    future = executor.submit(
                        parse_limited, job[2], str(path), self.limits, self.hard_stop, self.options
                    )
                    pending[future] = job
            done, _ = wait(pending, timeout=BATCH_SECONDS, return_when=FIRST_COMPLETED)
            crashed: list[Job] = []
            # In the order submitted, not the set's: report ids then follow the files' order.
            for future in [f for f in pending if f in done]:
                job = pending.pop(future)
                try:
                    self._collect(job, future.result())
                except BrokenProcessPool:
                    crashed.append(job)
                if self.recorder.due():  # ``batch`` files a transaction, however many came back at once
                    self.recorder.flush()
            if crashed:
                # Every job left in the broken pool fails with it; retry each alone to find the culprit.
                crashed += pending.values()
                pending.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = _pool(self.workers)
                self._isolate(crashed)
            if self.recorder.due():
                self.recorder.flush()
        executor.shutdown()

    def _isolate(self, jobs: list[Job]) -> None:
        dead = 0
        for job in jobs:
            outcome = parse_isolated(job[2], str(job[0]), self.limits, self.options)
            dead = dead + 1 if isinstance(outcome, Died) else 0
            if dead == _DEAD_IN_A_ROW:
                self.recorder.flush()
                raise OgiError(
                    f"parsing processes die on every file (last: {job[0]}): not a bad file but this "
                    "machine (memory?) or the way ogi was started; the files written so far are kept. "
                    "Try again with --workers 1."
                )
            self._collect(job, outcome)

    def _job(self, path: Path) -> Job | None:
        """Read and hash one file; None when there is nothing to parse."""
        try:
            data = path.read_bytes()
        except OSError as e:
            self.recorder.done_without_parse(str(path), failure=e.strerror or str(e))
            return None
        sha = sha256_of(data)
        if self.recorder.skip(str(path), sha):
            return None
        self.recorder.weigh(str(path), count_pages(data))
        return path, sha, data

    def _collect(self, job: Job, outcome: Outcome) -> None:
        path, sha, data = job
        self.recorder.collect(str(path), sha, data, outcome)
