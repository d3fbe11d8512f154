"""A long-lived pool of parsing processes, for a server: the pool ``ogi ingest`` starts, kept open.

Jobs are any picklable top-level function (a parse, a re-parse with corrections, a page render),
each held to the per-file limits of :mod:`ogi.batch.limits` in its worker, as ingest's parses are.
A job that kills its process (a reader crash, the CPU backstop) breaks the pool, as in ``ogi
ingest``: the pool is replaced and the job is tried once more alone in a fresh process, so the
file that kills processes is found and the jobs beside it are not lost. Behind the limits, a job
that has not answered well past its time has its pool's processes killed.
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
from ogi.batch.limits import Limits, run_limited
from ogi.errors import OgiError
from ogi.store.rows import warm_up

T = TypeVar("T")


class JobFailed(OgiError):
    """A job was cut off at its limits (``cut_off``), or its process died."""

    def __init__(self, reason: str, *, cut_off: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cut_off = cut_off


def _limited(fn: Callable[..., T], args: tuple[Any, ...], limits: Limits) -> tuple[str, Any]:
    """In the worker: ("ok", the result) or ("cut", why the job was cut off)."""
    outcome = run_limited(lambda: ("ok", fn(*args)), limits)
    return outcome if isinstance(outcome, tuple) else ("cut", outcome)


def _unwrap(outcome: tuple[str, Any]) -> Any:
    kind, value = outcome
    if kind == "cut":
        raise JobFailed(value, cut_off=True)
    return value


def _kill(executor: Executor) -> None:
    # ProcessPoolExecutor has no public way to stop a running job before Python 3.14.
    for process in list(getattr(executor, "_processes", {}).values()):
        process.kill()


def _alone(fn: Callable[..., T], args: tuple[Any, ...], limits: Limits, timeout: float) -> T:
    """Run ``fn(*args)`` in a fresh process of its own; raises :class:`JobFailed` if it dies or hangs."""
    executor = ingest_pool(1)
    try:
        return _unwrap(executor.submit(_limited, fn, args, limits).result(timeout))  # type: ignore[no-any-return]
    except BrokenProcessPool as e:
        raise JobFailed("the parsing process died on this file (crash or out of memory)") from e
    except FutureTimeout as e:
        _kill(executor)
        raise JobFailed(f"parsing took longer than {timeout:.0f} s and was stopped") from e
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


class ParsePool:
    def __init__(self, workers: int, limits: Limits | None = None) -> None:
        self.workers = workers
        self.limits = limits or Limits()
        # The limits cut a job off in its worker; this only catches a worker that stopped answering.
        self.timeout = (self.limits.timeout_s or 3600.0) * 2 + 30
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
            future: Future[tuple[str, Any]] = executor.submit(_limited, fn, args, self.limits)
        try:
            return _unwrap(await asyncio.wait_for(asyncio.wrap_future(future), self.timeout))  # type: ignore[no-any-return]
        except BrokenProcessPool:
            self._replace(executor)
            return await asyncio.to_thread(_alone, fn, args, self.limits, self.timeout)
        except TimeoutError as e:
            _kill(executor)
            self._replace(executor)
            raise JobFailed(f"parsing took longer than {self.timeout:.0f} s and was stopped") from e

    def close(self) -> None:
        with self._lock:
            _kill(self._executor)
            self._executor.shutdown(wait=True, cancel_futures=True)
