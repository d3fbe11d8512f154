"""The files a distributed run reads, and how they are cut into batches.

Only names and sizes are listed here, in the driver; the bytes are read by the workers, so a
million files in object storage never pass through one machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ogi.batch.worker import Batch
from ogi.errors import InputError
from ogi.store.location import is_url, locate

MAX_BATCH_BYTES = 64 * 2**20


def list_sources(paths: Iterable[str | Path], skip: Iterable[Path] = ()) -> list[tuple[str, int]]:
    """(path or URL, size) of every file under ``paths``, hidden ones left out, sorted."""
    from ogi.batch.ingest import walk

    found: list[tuple[str, int]] = []
    for start in paths:
        if not is_url(start):
            found += [(str(p), p.stat().st_size) for p in walk([start], skip)]
            continue
        found += _list_url(str(start))
    return sorted(set(found))


def _list_url(url: str) -> list[tuple[str, int]]:
    import pyarrow.fs

    where = locate(url)
    info = where.fs.get_file_info(where.root)
    if info.type == pyarrow.fs.FileType.File:
        return [(url, info.size)]
    if info.type != pyarrow.fs.FileType.Directory:
        raise InputError(url, "no such file or folder")
    found = []
    prefix = where.root.rstrip("/") + "/"
    for entry in where.fs.get_file_info(pyarrow.fs.FileSelector(where.root, recursive=True)):
        relative = entry.path[len(prefix) :] if entry.path.startswith(prefix) else entry.base_name
        if entry.type == pyarrow.fs.FileType.File and not any(p.startswith(".") for p in relative.split("/")):
            found.append((f"{url.rstrip('/')}/{relative}", entry.size))
    return found


def plan(sources: Sequence[tuple[str, int]], run: str, files: int, max_bytes: int = MAX_BATCH_BYTES) -> list[Batch]:
    """Batches of at most ``files`` files and ``max_bytes`` (one file may exceed it alone), the
    largest files first so that no long task starts last. Files of equal size stay in one batch:
    identical bytes have equal sizes, so a worker finds every duplicate within its own batch."""
    batches: list[Batch] = []
    current: list[tuple[str, int]] = []
    size = 0
    for name, n in sorted(sources, key=lambda s: (-s[1], s[0])):
        if current and (len(current) >= files or size + n > max_bytes) and n != current[-1][1]:
            batches.append(Batch(f"{run}-{len(batches):06d}", tuple(current)))
            current, size = [], 0
        current.append((name, n))
        size += n
    if current:
        batches.append(Batch(f"{run}-{len(batches):06d}", tuple(current)))
    return batches
