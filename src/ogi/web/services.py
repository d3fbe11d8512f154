"""What the app runs on: the store (one writing thread, reading cursors), the parsing pool, caches.

DuckDB allows one writing process; inside it, writes from several threads would conflict. So one
thread owns the writing connection and runs write jobs in the order they come (:class:`Writer`);
request threads read through cursors of their own, which see every committed write.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import anyio.to_thread
import duckdb

from ogi.batch.pool import ParsePool
from ogi.store.db import Store
from ogi.web.settings import Settings

T = TypeVar("T")
K = TypeVar("K")


class Writer:
    """The one thread that writes the store: jobs ``fn(store, *args)`` run in order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._jobs: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ogi-store-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, args, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(self.store, *args))
            except BaseException as e:
                future.set_exception(e)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((fn, args, future))
        return future

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self.submit(fn, *args))

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()


class Cache(Generic[K, T]):
    """A small least-recently-used map, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, T] = OrderedDict()
        self._lock = threading.Lock()

    async def get(self, key: K, make: Callable[[], Awaitable[T]]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = await make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Services:
    """The store, its writer, reading cursors, the parsing pool and the caches of one app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # The pool first: its fork server starts before this process runs DuckDB's threads.
        self.pool = ParsePool(settings.workers or os.cpu_count() or 1, settings.limits)
        self.store = Store.open(settings.db)
        self.writer = Writer(self.store)
        self._root = self.store.con.cursor()
        self._root_lock = threading.Lock()
        self._local = threading.local()
        self.sources: Cache[tuple[str, str], Any] = Cache(32)
        self.pages: Cache[tuple[str, int], bytes] = Cache(64)
        # The 填报 form: last years' reports by id (checked against on every keystroke), drafts' files.
        self.reports: Cache[int, Any] = Cache(32)
        self.renditions: Cache[tuple[int, int, str], bytes] = Cache(16)
        self._doc_locks: dict[str, asyncio.Lock] = {}

    def reader(self) -> duckdb.DuckDBPyConnection:
        """This thread's reading cursor (request threads are reused, so are their cursors)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            with self._root_lock:
                cur = self._root.cursor()
            self._local.cursor = cur
        return cur

    def read_store(self) -> Store:
        """The store seen through this thread's cursor, for library functions that take a Store."""
        return Store(self.store.path, self.reader(), read_only=True)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(cursor, *args)`` in a worker thread with that thread's cursor: an async view never
        holds the event loop while a query runs."""
        return await anyio.to_thread.run_sync(lambda: fn(self.reader(), *args))

    async def raw_bytes(self, sha256: str) -> bytes:
        """A stored file's bytes, read in a worker thread."""
        return await anyio.to_thread.run_sync(lambda: self.read_store().raw_path(sha256).read_bytes())

    def document_lock(self, sha256: str) -> asyncio.Lock:
        """Serialises reviews of one document: each correction re-parses with all earlier ones."""
        return self._doc_locks.setdefault(sha256, asyncio.Lock())

    def close(self) -> None:
        self.writer.close()
        self.pool.close()
        self.store.close()
