"""A long-lived pool of parsing processes, for a server: the pool ``ogi ingest`` starts, kept open.

Jobs are any picklable top-level function (a parse, a re-parse with corrections, a page render).
A job that kills its process (a reader crash, memory) breaks the pool, as in ``ogi ingest``: the
pool is replaced and the job is tried once more alone in a fresh process, so the file that kills
processes is found and the jobs beside it are not lost. A job past its time limit has its pool's
processes killed (the jobs beside it then retry alone) and is reported as failed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ogi.batch.ingest import _pool as ingest_pool
from ogi.errors import OgiError
from ogi.store.rows import warm_up

T = TypeVar("T")


class JobFailed(OgiError):
    """A job's process died, or the job ran past its time limit."""


def _kill(executor: Executor) -> None:
    # ProcessPoolExecutor has no public way to stop a running job before Python 3.14.
    for process in list(getattr(executor, "_processes", {}).values()):
        process.kill()


def _alone(fn: Callable[..., T], args: tuple[Any, ...], timeout: float) -> T:
    """Run ``fn(*args)`` in a fresh process of its own; raises :class:`JobFailed` if it dies or hangs."""
    executor = ingest_pool(1)
    try:
        return executor.submit(fn, *args).result(timeout)
    except BrokenProcessPool as e:
        raise JobFailed("the parsing process died on this file (crash or out of memory)") from e
    except FutureTimeout as e:
        _kill(executor)
        raise JobFailed(f"parsing took longer than {timeout:.0f} s and was stopped") from e
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


class ParsePool:
    def __init__(self, workers: int, timeout: float = 300.0) -> None:
        self.workers = workers
        self.timeout = timeout
        self._lock = threading.Lock()
        self._executor: Executor = ingest_pool(workers)
        for _ in range(workers):
            self._executor.submit(warm_up)  # start the processes now, not on the first request

    def _replace(self, broken: Executor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = ingest_pool(self.workers)
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a pool process, awaited without blocking the event loop."""
        with self._lock:
            executor = self._executor
            future: Future[T] = executor.submit(fn, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except BrokenProcessPool:
            self._replace(executor)
            return await asyncio.to_thread(_alone, fn, args, self.timeout)
        except TimeoutError as e:
            _kill(executor)
            self._replace(executor)
            raise JobFailed(f"parsing took longer than {self.timeout:.0f} s and was stopped") from e

    def close(self) -> None:
        with self._lock:
            _kill(self._executor)
            self._executor.shutdown(wait=True, cancel_futures=True)
