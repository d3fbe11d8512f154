"""What a distributed worker does with one batch of files: read, hash, skip the known, parse each
within its limits, and either write the batch as a dataset part or hand the rows back.

Plain Python, no Ray: :mod:`ogi.batch.ray_engine` runs :func:`run_batch` as a Ray task, and
tests call it directly. Parsing is the same :func:`~ogi.batch.limits.parse_limited` the process
pool runs, so both engines give the same rows for the same bytes. A task holds one CPU, so OCR
runs on one thread; its model session is loaded once per worker process and kept.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

from ogi.batch.limits import Limits, parse_limited, prepare_worker
from ogi.errors import InputError
from ogi.readers import count_pages
from ogi.readers.options import ParseOptions
from ogi.store.location import read_bytes
from ogi.store.rows import Entry, warm_up

Status = Literal["parsed", "failed", "known", "lost"]
READ_AHEAD = 8


class Hashes:
    """A set of sha256 digests as one sorted byte string: 32 bytes a file, shipped once to every
    worker through the object store (a million files: 32 MB) and searched by bisection."""

    def __init__(self, hex_digests: Iterable[str] = ()) -> None:
        self.blob = b"".join(sorted(bytes.fromhex(h) for h in hex_digests))

    def __len__(self) -> int:
        return len(self.blob) // 32

    def __contains__(self, hex_digest: object) -> bool:
        if not isinstance(hex_digest, str) or not self.blob:
            return False
        digest = bytes.fromhex(hex_digest)
        i = bisect.bisect_left(range(len(self)), digest, key=lambda k: self.blob[32 * k : 32 * k + 32])
        return i < len(self) and self.blob[32 * i : 32 * i + 32] == digest


@dataclass(frozen=True, slots=True)
class Batch:
    """Files parsed by one task, and the dataset part they are written as."""

    part: str
    files: tuple[tuple[str, int], ...]
    """(path or URL, size in bytes)"""


@dataclass(frozen=True, slots=True)
class FileResult:
    name: str
    sha256: str | None
    status: Status
    """parsed / failed (recorded with ``error``) / known (not parsed: its hash is in the skip set
    or earlier in the batch) / lost (not recorded, so the next run tries again: the file could not
    be read, or its process died)"""
    error: str | None = None
    agency_ids: tuple[str, ...] = ()
    """The publishers of the reports the file holds (one for most files)."""
    entry: Entry | None = None
    """The rows and bytes, when the driver records them (no dataset)."""
    pages: int = 1
    """Pages the file was read as, for the driver's progress bar."""


def run_batch(
    batch: Batch, skip: Hashes, out: str | None, limits: Limits, options: ParseOptions | None = None
) -> list[FileResult]:
    """Parse ``batch`` (read as ``options`` say); with ``out``, write it as part ``batch.part`` of
    the dataset there and return only the outcomes, else return the entries for the driver to record."""
    prepare_worker()
    warm_up()  # once per worker process, outside the first file's time limit
    options = replace(options or ParseOptions(), ocr_threads=1)
    results: list[FileResult] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    # Read ahead while parsing: an object store's latency per small file is tens of ms, as long
    # as parsing a web page. The batch's bytes are bounded (ogi.batch.sources.MAX_BATCH_BYTES).
    with ThreadPoolExecutor(READ_AHEAD) as readers:
        for (name, _), data in zip(batch.files, readers.map(_read, [n for n, _ in batch.files]), strict=True):
            if isinstance(data, InputError):
                results.append(FileResult(name, None, "lost", data.reason))
                continue
            _parse_one(name, data, seen, skip, limits, options, results, entries, keep=out is None)
    if out is not None:
        from ogi.store.dataset import write_part
        from ogi.store.location import locate

        write_part(locate(out), batch.part, entries)
    return results


def _read(name: str) -> bytes | InputError:
    try:
        return read_bytes(name)
    except InputError as e:
        return e
    except MemoryError:  # the file being parsed meanwhile holds the process to its memory limit
        return InputError(name, "could not be read: out of memory (the next run tries again)")


def _parse_one(name: str, data: bytes, seen: set[str], skip: Hashes, limits: Limits, options: ParseOptions,
               results: list[FileResult], entries: list[Entry], *, keep: bool) -> None:  # fmt: skip
    sha = hashlib.sha256(data).hexdigest()
    if sha in seen or sha in skip:
        results.append(FileResult(name, sha, "known"))
        return
    seen.add(sha)
    outcome = parse_limited(data, name, limits, options=options)
    entry = Entry(name, sha, data, None, outcome) if isinstance(outcome, str) else Entry(name, sha, data, outcome)
    entries.append(entry)
    agency_ids = tuple(r.report["agency_id"] for r in entry.rows or [] if r.report["agency_id"])
    status: Status = "parsed" if entry.rows else "failed"
    results.append(FileResult(name, sha, status, entry.error, agency_ids, entry if keep else None, count_pages(data)))
