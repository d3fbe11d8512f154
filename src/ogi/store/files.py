"""The raw files beside the database, kept by content hash: ``<db stem>.files/ab/cdef….<ext>``.

A file appears under its final name complete or not at all: it is written to ``.tmp/``, made
durable, then renamed (atomic within one file system), and the rename is made durable before the
caller commits the rows that point at it. Durable means one ``syncfs`` of the folder's file system
per batch where Linux offers it (a few milliseconds), else an ``fsync`` of each file and folder.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path


@cache
def _syncfs() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs  # type: ignore[no-any-return]
    except (AttributeError, OSError, TypeError):  # not Linux / glibc
        return None


def _sync_dir(folder: Path, *, whole_fs: bool) -> bool:
    """fsync ``folder`` (or, with ``whole_fs``, syncfs its file system); False when syncfs is missing."""
    call = _syncfs() if whole_fs else os.fsync
    if call is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        if call(fd) not in (0, None):
            raise OSError(ctypes.get_errno(), f"syncfs failed on {folder}")
    finally:
        os.close(fd)
    return True


class RawFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / ".tmp"
        self._folders: set[Path] = set()

    def clean(self) -> None:
        """Remove temp files a killed run left; finished files were renamed out of there."""
        shutil.rmtree(self.tmp, ignore_errors=True)

    def keep(self, files: Sequence[tuple[str, bytes]]) -> None:
        """Store each (name under the root, bytes), durably, skipping names already complete."""
        todo = []
        for name, data in files:
            target = self.root / name
            if not (target.exists() and target.stat().st_size == len(data)):
                todo.append((target, data))
        if not todo:
            return
        self.tmp.mkdir(parents=True, exist_ok=True)
        batch_sync = _syncfs() is not None
        staged = []
        for i, (target, data) in enumerate(todo):
            tmp = self.tmp / f"{os.getpid()}.{i}"
            with open(tmp, "wb") as fh:
                fh.write(data)
                if not batch_sync:
                    fh.flush()
                    os.fsync(fh.fileno())
            staged.append((tmp, target))
        if batch_sync:
            _sync_dir(self.root, whole_fs=True)  # the data, before any name points at it
        for tmp, target in staged:
            if target.parent not in self._folders:
                target.parent.mkdir(exist_ok=True)
                self._folders.add(target.parent)
            os.replace(tmp, target)
        if batch_sync:
            _sync_dir(self.root, whole_fs=True)  # the renames
        else:
            for folder in {t.parent for _, t in staged}:
                _sync_dir(folder, whole_fs=False)
